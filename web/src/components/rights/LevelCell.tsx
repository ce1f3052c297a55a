// One cell of the rights matrix: a radiogroup named `{Data set} {action}` (UI.md) of native
// radios named Denied / If responsible / Team-wide / Allowed. Native radios sharing a `name`
// give the keyboard behaviour for free: Tab reaches the chosen level, arrow keys change it.
// Colour is never the only cue: each square carries the level's letter and the chosen level is
// written out under the squares.
import { useId } from 'react';
import { levelInfo, type Level, type LevelInfo } from '../../lib/rights';
import classes from './matrix.module.css';

interface Props {
  name: string;
  levels: readonly LevelInfo[];
  value: Level | undefined;
  onChange: (level: Level) => void;
  disabled?: boolean;
}

export function LevelCell({ name, levels, value, onChange, disabled = false }: Props) {
  const group = useId();
  const chosen = value ? levelInfo(value) : null;
  return (
    <div role="radiogroup" aria-label={name} className={classes.group} aria-disabled={disabled || undefined}>
      <div className={classes.options}>
        {levels.map((level) => (
          <label key={level.code} className={classes.option} title={level.name}>
            <input
              type="radio"
              name={group}
              value={level.code}
              checked={value === level.code}
              disabled={disabled}
              onChange={() => onChange(level.code)}
            />
            <span className={`${classes.box} ${classes[level.code]}`} aria-hidden="true">
              {level.code}
            </span>
            <span className={classes.srOnly}>{level.name}</span>
          </label>
        ))}
      </div>
      <span className={`${classes.label} ${chosen ? classes[`text${chosen.code}`] : classes.textNone}`} aria-hidden="true">
        {chosen ? chosen.name : 'As general'}
      </span>
    </div>
  );
}
