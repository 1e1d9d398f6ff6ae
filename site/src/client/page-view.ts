import type { PageKind } from '@hangarstack/shared';
import { track, visit } from './beacon.ts';

/**
 * Every page but an aircraft page reports its kind once (aircraft pages send a `view`, which the
 * collector fans out to the activity topic): home, lists, search, compare, popular, 404.
 */
const kind = document.documentElement.dataset.page;
if (kind && kind !== 'aircraft') track({ type: 'page', page: kind as PageKind, ...visit() });
