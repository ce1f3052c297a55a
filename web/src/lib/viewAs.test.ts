import { describe, expect, it } from 'vitest';
import { isViewedPath, parseViewAsId } from './viewAs';

describe('isViewedPath', () => {
  it.each([
    ['/', true],
    ['/leads', true],
    ['/leads/board', true],
    ['/leads/12', true],
    ['/contacts', true],
    ['/inbox', true],
    ['/settings', false],
    ['/settings/users/3', false],
    ['/profile', false],
    ['/login', false],
    ['/enroll-2fa', false],
    ['/settingsx', true],
    ['/profiles', true],
  ])('%s -> %s', (path, viewed) => {
    expect(isViewedPath(path)).toBe(viewed);
  });
});

describe('parseViewAsId', () => {
  it.each([
    ['7', 7],
    ['123456', 123456],
    [null, null],
    ['', null],
    ['0', null],
    ['-3', null],
    ['07', null],
    ['1e3', null],
    ['12 ', null],
    ['1234567890123456', null],
  ])('%s -> %s', (raw, id) => {
    expect(parseViewAsId(raw)).toBe(id);
  });
});
