// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Microsandbox } from "../client/microsandbox.ts";
import { clientOf, defaultClients } from "./_client.ts";
import { refuseUnlistedFields } from "./_command_fields.ts";
import type { CommandRequest } from "./command_request.ts";
import type { FileAccess } from "./file_access.ts";
import type { PortAccess } from "./port_access.ts";
import type { ContextLike } from "./context.ts";
import { RouteError } from "./errors.ts";
import { checkSandboxName } from "./names.ts";
import type { Principal, ResolvedRoutesOptions } from "./options.ts";

/** What a request may do: who it is, which client serves it, and which names it may touch. */
export interface Admission<P extends Principal> {
  principal: P;
  client: Microsandbox;
}

/** The checks every route runs, in order: who asks, which sandbox, which command or path. */
export class Guard<P extends Principal> {
  readonly options: ResolvedRoutesOptions<P>;
  readonly #defaultClient = defaultClients();

  constructor(options: ResolvedRoutesOptions<P>) {
    this.options = options;
  }

  /** Authorizes the request (401 when refused) and picks its client. */
  async admit(c: ContextLike): Promise<Admission<P>> {
    const principal = await this.options.authorize(c);
    if (!principal) throw new RouteError("unauthorized", "Authentication is required.");
    return { principal, client: this.#clientFor(c) };
  }

  /** The sandbox name of the path, checked (400) and in scope (else 404), before any request. */
  async name(
    c: ContextLike & { req: { param(name: "name"): string | undefined } },
    principal: P,
  ): Promise<string> {
    return await this.inScope(checkSandboxName(c.req.param("name")), principal, c);
  }

  /** `name` when the principal may touch it; 404, as for a sandbox that does not exist, if not. */
  async inScope(name: string, principal: P, c: ContextLike): Promise<string> {
    if (this.options.scope && !(await this.options.scope(name, principal, c))) {
      throw new RouteError("not_found", "No sandbox has this name.");
    }
    return name;
  }

  /** Whether the principal may see `name` (for the list). */
  async sees(name: string, principal: P, c: ContextLike): Promise<boolean> {
    return !this.options.scope || await this.options.scope(name, principal, c);
  }

  /**
   * Refuses (403) a command that sets a field `commandFields` does not list, then one the
   * `commands` policy does not allow.
   */
  async command(command: CommandRequest, principal: P, c: ContextLike): Promise<void> {
    refuseUnlistedFields(command, this.options.commandFields);
    if (this.options.commands && !(await this.options.commands(command, principal, c))) {
      throw new RouteError("forbidden", "This command is not allowed.");
    }
  }

  /** Refuses (403) a file access the `files` policy does not allow. */
  async files(access: FileAccess, principal: P, c: ContextLike): Promise<void> {
    if (!(await this.options.files(access, principal, c))) {
      throw new RouteError(
        "forbidden",
        `The files policy does not allow ${access.op} of ${access.path}.`,
      );
    }
  }

  /** Refuses (403) a preview request the `ports` policy does not allow. */
  async ports(access: PortAccess, principal: P, c: ContextLike): Promise<void> {
    if (!(await this.options.ports(access, principal, c))) {
      throw new RouteError(
        "forbidden",
        `The ports policy does not allow ${access.method} ${access.path} on port ${access.port}.`,
      );
    }
  }

  #clientFor(c: ContextLike): Microsandbox {
    if (this.options.client) return clientOf(this.options.client, c);
    const set = c.get("microsandbox");
    return set instanceof Microsandbox ? set : clientOf(this.#defaultClient, c);
  }
}
