// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { CommandRequest } from "./command_request.ts";
import { RouteError } from "./errors.ts";

/** The fields of a command that change how the program runs without changing its argv. */
export type CommandField = "env" | "cwd" | "user";

const COMMAND_FIELDS: readonly CommandField[] = ["env", "cwd", "user"];

/** The `commandFields` option, checked at run time (JavaScript callers included). */
export function commandFields(
  fields: readonly CommandField[] | undefined,
): ReadonlySet<CommandField> {
  if (fields === undefined) return new Set();
  if (!Array.isArray(fields)) {
    throw new TypeError(
      `sandboxRoutes: options.commandFields must be an array of ${
        COMMAND_FIELDS.map((f) => `"${f}"`).join(", ")
      }`,
    );
  }
  for (const field of fields) {
    if (!COMMAND_FIELDS.includes(field)) {
      throw new TypeError(
        `sandboxRoutes: options.commandFields holds ${
          JSON.stringify(field)
        }; the fields a caller may set are ${COMMAND_FIELDS.map((f) => `"${f}"`).join(", ")}`,
      );
    }
  }
  return new Set(fields);
}

/** Refuses (403) a command that sets a field `allowed` does not list. */
export function refuseUnlistedFields(
  command: CommandRequest,
  allowed: ReadonlySet<CommandField>,
): void {
  for (const field of COMMAND_FIELDS) {
    if (isSet(command, field) && !allowed.has(field)) {
      throw new RouteError(
        "forbidden",
        `This request may not set "${field}": the routes' commandFields do not allow it.`,
      );
    }
  }
}

function isSet(command: CommandRequest, field: CommandField): boolean {
  return field === "env" ? Object.keys(command.env).length > 0 : command[field] !== undefined;
}
