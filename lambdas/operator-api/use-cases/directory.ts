import { answer, type UseCase } from '../api.js';

/**
 * GET /api/v1/directory: the names behind the ids an inquiry carries, for any signed-in operator: every
 * department (to name it, and to move an inquiry to it) and every community with its time zone (to show
 * deadlines, which the API gives in UTC, in the community's local time). No notification addresses: they are
 * not an operator's business.
 */
export const directory: UseCase = async (_request, deps) =>
  answer(200, {
    departments: deps.config.departments.map(({ id, name }) => ({ id, name })),
    communities: deps.config.communities.map(({ groupId, name, calendar }) => ({
      groupId,
      name,
      timeZone: calendar.timeZone,
    })),
  });
