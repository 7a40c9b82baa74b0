import { Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RevocationService } from '../auth/revocation.service';
import { UnitOfWork } from '../persistence/unit-of-work';
import { USER_DATA_CONTRIBUTORS } from './user-data-contributors';
import { NamedUser, UserDataContributor, UserDataPage } from './user-data-contributor';
import { UserDataExport, UserDataSections } from './user-data.types';

/** Rows per unit of work, read or erased: a short one each, so sends wait little behind a large user. */
const ROWS_PER_UNIT = 500;

/**
 * Export and erasure of everything the module stores about one user (a data subject's access
 * and erasure requests), section by section (USER_DATA_CONTRIBUTORS).
 */
@Injectable()
export class UserDataService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly revocations: RevocationService,
  ) {}

  /**
   * Every section of the user's data (`userId`: their key; `named`: with tenancy, the user as
   * events name them); a user the module knows nothing of gets empty sections.
   */
  async export(userId: string, named?: NamedUser): Promise<UserDataExport> {
    const sections: Partial<UserDataSections> = {};
    for (const [section, contributor] of entries()) {
      const items: unknown[] = [];
      let after: string | null = null;
      do {
        const from: string | null = after;
        const page: UserDataPage<unknown> = await this.unitOfWork.read((manager) =>
          contributor.exportPage(manager, userId, from, ROWS_PER_UNIT, named),
        );
        items.push(...page.items);
        after = page.next;
      } while (after !== null);
      (sections as Record<string, unknown[]>)[section] = items;
    }
    return { userId, exportedAt: new Date().toISOString(), ...(sections as UserDataSections) };
  }

  /**
   * Erases the user's data. First their access is revoked: every session closes with 4403 on
   * every node and tokens issued up to now are refused, so no session of theirs writes anew
   * while the erasure runs. Then each section, a batch per unit of work. Erasing a user with
   * nothing stored does the same and finds nothing: it can be repeated.
   */
  async erase(userId: string, named?: NamedUser): Promise<void> {
    await this.revocations.revoke(userId);
    for (const [, contributor] of entries()) {
      let after: string | null = null;
      do {
        const from: string | null = after;
        after = await this.unitOfWork.write((manager) => contributor.eraseBatch(manager, userId, from, ROWS_PER_UNIT, named));
        // Between batches, requests that arrived meanwhile get read (SQLite runs statements synchronously).
        await nextTurn();
      } while (after !== null);
    }
  }
}

function entries(): Array<[keyof UserDataSections, UserDataContributor<unknown>]> {
  return Object.entries(USER_DATA_CONTRIBUTORS) as Array<[keyof UserDataSections, UserDataContributor<unknown>]>;
}
