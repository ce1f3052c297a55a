import { expect, test } from 'vitest';
import { allPages } from './pages';

const pagesOf = (sizes: number[]) => async (page: number) => {
  if (page > sizes.length) throw new Error(`page ${page} was not offered`);
  const size = sizes[page - 1] ?? 0;
  return size === 0 ? undefined : { items: Array.from({ length: size }, (_, i) => `${page}.${i}`), hasNext: page < sizes.length };
};

test('walks every page until the one without next', async () => {
  expect(await allPages(pagesOf([2, 2, 1]))).toEqual(['1.0', '1.1', '2.0', '2.1', '3.0']);
});

test('an empty list (204) is no items', async () => {
  expect(await allPages(pagesOf([0]))).toEqual([]);
});

test('stops at maxPages', async () => {
  const asked: number[] = [];
  const endless = async (page: number) => {
    asked.push(page);
    return { items: [page], hasNext: true };
  };
  expect(await allPages(endless, 3)).toEqual([1, 2, 3]);
  expect(asked).toEqual([1, 2, 3]);
});
