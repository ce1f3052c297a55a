// Every item of a paged API list, read 250 at a time (the API's largest page) until the page
// without a `next` link. `maxPages` bounds the walk (40 pages: 10,000 items, more than any list
// these pages show); an empty list is a 204, which openapi-fetch gives as undefined.

export interface ListPage<T> {
  items: T[];
  hasNext: boolean;
}

export const pageLimit = 250;

export async function allPages<T>(fetchPage: (page: number) => Promise<ListPage<T> | undefined>, maxPages = 40): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const answer = await fetchPage(page);
    if (!answer) break;
    out.push(...answer.items);
    if (!answer.hasNext) break;
  }
  return out;
}
