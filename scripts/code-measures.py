#!/usr/bin/env python3
"""Size measures of the C++ tree (issue 14): functions over 50 lines and files over 600 lines.

Usage: scripts/code-measures.py [--list]    (from anywhere inside the checkout)

Counts top-level function definitions in the tracked, non-test sources under src/ (the tree is
clang-formatted, so a definition starts at column 0 and its body ends at the next "}" at column
0), and member functions defined inside a class body (their body ends at the next "  }" at
column 2). Route tables (Register*Routes and the like) and main() are reported apart: they are
wiring, long by nature.
"""
import os
import re
import subprocess
import sys

NOT_FUNCTIONS = ('namespace', '}', '#', '//', 'class', 'struct', 'enum', 'using', 'template',
                 'static_assert', 'extern', 'typedef', 'union')
WIRING = re.compile(r'\b(Register\w*|main)\s*\(')


def long_functions(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    found, i = [], 0
    while i < len(lines):
        head = lines[i]
        if (head and not head[0].isspace() and not head.startswith(NOT_FUNCTIONS)
                and not head.rstrip().endswith(';')):
            j = i
            while j < len(lines) and not lines[j].rstrip().endswith(('{', ';')):
                j += 1
            if j < len(lines) and lines[j].rstrip().endswith('{') and '=' not in head.split('(')[0]:
                k = j + 1
                while k < len(lines) and not lines[k].startswith('}'):
                    k += 1
                found.append((k - i + 1, i + 1, head.strip()))
                i = k + 1
                continue
        i += 1
    return [f for f in found if f[0] > 50] + long_members(lines)


def long_members(lines):
    """Member functions defined in the body of a class or struct at column 0 ("};" ends it)."""
    found, i, in_class = [], 0, False
    while i < len(lines):
        line = lines[i]
        if line.startswith(('class ', 'struct ')) and line.rstrip().endswith('{'):
            in_class = True
        elif line.startswith('};'):
            in_class = False
        elif (in_class and line.startswith('  ') and not line.startswith('   ') and '(' in line
              and not line.lstrip().startswith('//') and '=' not in line.split('(')[0]
              and not line.rstrip().endswith(';')):
            j = i
            while j < len(lines) and not lines[j].rstrip().endswith(('{', ';')):
                j += 1
            if j < len(lines) and lines[j].rstrip().endswith('{'):
                k = j + 1
                while k < len(lines) and lines[k] != '  }' and not lines[k].startswith('}'):
                    k += 1
                if k - i + 1 > 50:
                    found.append((k - i + 1, i + 1, line.strip()))
                i = k + 1
                continue
        i += 1
    return found


def main():
    root = subprocess.check_output(['git', 'rev-parse', '--show-toplevel'], text=True).strip()
    os.chdir(root)
    files = [f for f in subprocess.check_output(['git', 'ls-files', 'src'], text=True).split()
             if f.endswith(('.cc', '.h')) and '_test' not in f and os.path.exists(f)]
    functions, wiring = [], []
    for f in files:
        for n, line, head in long_functions(f):
            (wiring if WIRING.search(head) else functions).append((n, f'{f}:{line}', head[:80]))
    big_files = sorted(((sum(1 for _ in open(f, encoding='utf-8')), f)
                        for f in subprocess.check_output(['git', 'ls-files', 'src'],
                                                         text=True).split()
                        if f.endswith(('.cc', '.h')) and os.path.exists(f)), reverse=True)
    big_files = [b for b in big_files if b[0] > 600]
    if '--list' in sys.argv:
        for n, where, head in sorted(functions, reverse=True):
            print(f'{n:4} {where} {head}')
        for n, f in big_files:
            print(f'{n:4} {f}')
    print(f'functions over 50 lines: {len(functions)} (route tables and main apart: {len(wiring)})')
    print(f'files over 600 lines: {len(big_files)} (tests included: '
          f'{sum(1 for _, f in big_files if "_test" in f)})')


if __name__ == '__main__':
    main()
