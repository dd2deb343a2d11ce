/**
 * The Queries (each reads 1 MB of the index at most) one request of a list makes in all, or one per department
 * where an admin's are more: a filtered list whose page is still empty reads on up to this, so that a narrow
 * filter does not answer "nothing" while more is there, and a request still ends well within the timeout.
 */
export const QUERY_PAGES_PER_REQUEST = 16;
