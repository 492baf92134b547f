// An export that shows a denouncer's identity is recorded like a page that shows it (Luật Tố cáo
// 2018, Điều 9). Rows stream out for minutes, so the records are written in batches as rows are
// produced — memory stays bounded and an interrupted download is still recorded up to where it went.

export const IDENTITY_BATCH_SIZE = 500;

export class IdentityViewBatches {
  private pending = new Set<string>();

  constructor(private readonly record: (ids: string[]) => Promise<void>) {}

  /** Notes one record whose identity the export showed; writes a batch when it is full. */
  async add(id: string): Promise<void> {
    this.pending.add(id);
    if (this.pending.size >= IDENTITY_BATCH_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending = new Set();
    await this.record(ids);
  }
}

/**
 * Passes rows through, noting the id of each row that shows a protected identity (`shownId` gives it,
 * or null); the last batch is written when the rows end, or when the download stops early.
 */
export async function* recordingIdentities<Row>(rows: AsyncIterable<Row>, shownId: (row: Row) => string | null, batches: IdentityViewBatches): AsyncGenerator<Row> {
  try {
    for await (const row of rows) {
      const id = shownId(row);
      if (id) await batches.add(id);
      yield row;
    }
  } finally {
    await batches.flush();
  }
}
