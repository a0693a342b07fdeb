// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The organisation and its members on today's cloud: `OrgWithRole` from `GET /v1/me/org`, pages
// of `OrgMemberResponse` from `GET /v1/members`; its audit events are in `_current_events.ts`.

import type { Member } from "../models/member.ts";
import { type Org, ORG_ROLES } from "../models/org.ts";
import { decodeEvent, decodeEventsPage, eventsQuery } from "./_current_events.ts";
import { currentPage, pageParams } from "./_current_page.ts";
import {
  boolean,
  date,
  decodeJson,
  type JsonCodec,
  object,
  oneOf,
  optional,
  required,
  string,
} from "./_json_codec.ts";
import type { AccountWire, WireMemberPage, WirePageQuery } from "./wire_adapter.ts";

const ROLE = oneOf(ORG_ROLES);

const ORG: JsonCodec<Org> = object({
  id: required(string),
  name: required(string),
  slug: required(string),
  mfaRequired: required(boolean),
  role: required(ROLE),
  createdAt: required(date),
  updatedAt: required(date),
});

const MEMBER: JsonCodec<Member> = object({
  id: required(string),
  userId: required(string),
  email: required(string),
  role: required(ROLE),
  displayName: optional(string),
  avatarUrl: optional(string),
  joinedAt: required(date),
});

const MEMBER_PAGE = currentPage(MEMBER);

function decodeMembersPage(body: unknown): WireMemberPage {
  const { items, ...page } = decodeJson(MEMBER_PAGE, body, "page");
  return { members: items, ...page };
}

/** The account reads of msb-cloud API 0.1.0. */
export const currentAccount: AccountWire = {
  decodeOrg: (body) => decodeJson(ORG, body, "org"),
  membersQuery: (query: WirePageQuery) => pageParams(query).toString(),
  decodeMembersPage,
  eventsQuery,
  decodeEventsPage,
  decodeEvent,
};
