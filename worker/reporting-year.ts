/**
 * The end of the movement's statistics year for this deployment (`REPORTING_YEAR_END`, PRODUCT.md §14): read from the
 * environment when a request, a scheduled run or a queue batch starts, and used wherever a data range or a default
 * deadline is worked out. The same for every request of a deployment, so keeping it per isolate is safe.
 */
import { DEFAULT_YEAR_END, yearEndProblem } from "../domain/periods";
import { AppError } from "./errors";

let current = DEFAULT_YEAR_END;

/** Takes `REPORTING_YEAR_END` from the environment (unset: 12-14); a value that is not a day is refused by name. */
export function readYearEnd(env: { REPORTING_YEAR_END?: string }): void {
  const value = env.REPORTING_YEAR_END?.trim() || DEFAULT_YEAR_END;
  const problem = yearEndProblem(value);
  if (problem)
    throw new AppError("internal", `${problem}: sửa biến REPORTING_YEAR_END trong wrangler.toml rồi triển khai lại`);
  current = value;
}

export const reportingYearEnd = (): string => current;
