/**
 * Roll-up statements are built from common table expressions that read each other (`fresh` reads `pairs` and `s`).
 * Each is typed with the table it defines and the ones it reads, and `withCtes` only takes one after those it reads:
 * a statement missing an input does not compile.
 */
import { type SQL, sql } from "drizzle-orm";

/** A CTE (`name(columns) AS (…)`, possibly with private helpers before it) defining `Defines`, reading `Needs`. */
export type Cte<Defines extends string, Needs extends string = never> = {
  readonly sql: SQL;
  /** Type-level only. */
  readonly defines?: Defines[];
  /** Type-level only: what must be defined before it. */
  readonly needs?: Needs[];
};

export function cte<Defines extends string, Needs extends string = never>(body: SQL): Cte<Defines, Needs> {
  return { sql: body };
}

/** `WITH RECURSIVE a, b, …` built one CTE at a time, each after the ones it reads. */
class With<Defined extends string> {
  constructor(private readonly parts: SQL[]) {}

  and<D extends string>(next: Cte<D, Defined>): With<Defined | D> {
    return new With<Defined | D>([...this.parts, next.sql]);
  }

  /** The statement after the CTEs. */
  query(statement: SQL): SQL {
    return sql`WITH RECURSIVE ${sql.join(this.parts, sql`, `)} ${statement}`;
  }
}

export function withCtes<D extends string>(first: Cte<D>): With<D> {
  return new With<D>([first.sql]);
}
