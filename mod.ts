// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * A runtime-neutral client for microsandbox cloud: drive secure microVM sandboxes from Deno,
 * Bun, Cloudflare Workers and Node 22+, on `fetch` and Web Streams alone. It speaks today's
 * msb-cloud API (`wire: "current"`, the default) and the wire of the microsandbox 0.5.8 SDK
 * (`wire: "v0.5"`).
 *
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 *
 * const msb = Microsandbox.fromEnv(); // MSB_API_KEY, optional MSB_API_URL
 * const sandbox = await msb.sandboxes.create({ name: "build-42", image: "python" });
 * console.log(sandbox.status); // "running"
 * for await (const each of msb.sandboxes) console.log(each.name);
 * await sandbox.remove();
 * ```
 *
 * @module
 */

export { Microsandbox } from "./src/client/microsandbox.ts";
export type { FromEnvOptions, FromProfileOptions } from "./src/client/microsandbox.ts";
export { Sandboxes } from "./src/client/sandboxes.ts";
export type { SandboxPage } from "./src/client/sandboxes.ts";
export { Sandbox } from "./src/client/sandbox.ts";
export { Account } from "./src/client/account.ts";
export type { MemberPage } from "./src/client/account.ts";
export type {
  QuotaUsage,
  StorageBreakdown,
  UsageBreakdown,
  UsageSummary,
} from "./src/models/usage.ts";
export type {
  CreateOptions,
  ListOptions,
  PageOptions,
  RequestOptions,
  SandboxUpdate,
  StartOptions,
  StopOptions,
  WaitForOptions,
} from "./src/client/request_options.ts";
export { LogCursor } from "./src/logs/log_cursor.ts";
export type { LogPosition } from "./src/logs/log_cursor.ts";
export {
  effectiveLogSources,
  LOG_SOURCES,
  LogEntry,
  type LogEntryFields,
} from "./src/logs/log_entry.ts";
export type { LogSource } from "./src/logs/log_entry.ts";
export { LogEntryStream } from "./src/logs/log_entry_stream.ts";
export type { LogsOptions } from "./src/logs/log_stream.ts";
export type { LogEntryStreamOptions } from "./src/logs/log_entry_stream.ts";
export { SseDecoderStream } from "./src/sse/sse_decoder_stream.ts";
export type { SseDecoderStreamOptions } from "./src/sse/sse_decoder_stream.ts";
export { SseParser } from "./src/sse/sse_parser.ts";
export type { SseParserCallbacks, SseParserOptions } from "./src/sse/sse_parser.ts";
export { encodeSseEvent, SseEncoderStream } from "./src/sse/sse_encoder_stream.ts";
export type { SseComment, SseEvent, SseEventInit } from "./src/sse/sse_event.ts";
export { toSseResponse } from "./src/http/to_sse_response.ts";
export { toNdjsonResponse } from "./src/http/to_ndjson_response.ts";
export { resumeCursor } from "./src/http/resume_cursor.ts";
export type { StreamResponseOptions } from "./src/http/_heartbeat_body.ts";
export { ExecProcess } from "./src/exec/exec_process.ts";
export { ExecOutput } from "./src/exec/exec_output.ts";
export type { ExecEvent, ExecOptions, ExitStatus, SpawnOptions } from "./src/exec/exec_options.ts";
export type { WebSocketFactory, WebSocketInit, WebSocketLike } from "./src/transport/web_socket.ts";
export { DEFAULT_URL } from "./src/config/client_options.ts";
export type {
  FetchLike,
  MicrosandboxOptions,
  RetryOptions,
  WireGeneration,
} from "./src/config/client_options.ts";
export type { SandboxInfo, SandboxStatus } from "./src/models/sandbox_info.ts";
export { ORG_ROLES } from "./src/models/org.ts";
export type { Org, OrgRole } from "./src/models/org.ts";
export type { Member } from "./src/models/member.ts";
export { Volumes } from "./src/client/volumes.ts";
export { Volume } from "./src/client/volume.ts";
export { VolumeFs } from "./src/client/volume_fs.ts";
export type { FileData, RemoveOptions } from "./src/client/volume_fs.ts";
export { FileReadStream } from "./src/volumes/file_read_stream.ts";
export type { OpenFile } from "./src/volumes/file_read_stream.ts";
export { VOLUME_KINDS, VOLUME_STATUSES } from "./src/models/volume.ts";
export type {
  VolumeFileInfo,
  VolumeInfo,
  VolumeKind,
  VolumeSpec,
  VolumeStatus,
  VolumeUpdate,
} from "./src/models/volume.ts";
export { RLIMIT_RESOURCES } from "./src/models/sandbox_spec.ts";
export type {
  LogLevel,
  NetworkSpec,
  RegistryAuth,
  Rlimit,
  RlimitResource,
  SandboxSpec,
} from "./src/models/sandbox_spec.ts";
export type {
  Destination,
  DestinationGroup,
  NetworkAction,
  NetworkPolicy,
  NetworkRule,
  PortRange,
} from "./src/models/network_policy.ts";
export type {
  HostPattern,
  SecretEntry,
  SecretInjection,
  SecretsConfig,
  ViolationAction,
} from "./src/models/secret.ts";
export type { Mount, MountOptions } from "./src/models/mount.ts";
export type { InitSpec, Patch } from "./src/models/patch.ts";
export {
  AuthenticationError,
  CloudHttpError,
  ConflictError,
  ConnectionError,
  ExecFailedError,
  ExecTimeoutError,
  InvalidConfigError,
  InvalidCursorError,
  MicrosandboxError,
  OutputLimitError,
  ProtocolError,
  RateLimitedError,
  RuntimeError,
  SandboxAlreadyExistsError,
  SandboxFsOpsError,
  SandboxNotFoundError,
  SandboxNotRunningError,
  StreamStalledError,
  TimeoutError,
  UnsupportedError,
  VolumeAlreadyExistsError,
  VolumeNotFoundError,
} from "./src/errors.ts";
export type {
  ExecFailedErrorOptions,
  HttpErrorDetails,
  MicrosandboxErrorKind,
  MicrosandboxErrorOptions,
  RateLimitedErrorOptions,
  SandboxFsOpsErrorKind,
  SandboxFsOpsErrorOptions,
  SandboxNotRunningErrorOptions,
  UnsupportedErrorOptions,
} from "./src/errors.ts";
export { VERSION } from "./src/version.ts";
export { SandboxFs } from "./src/fs/sandbox_fs.ts";
export type { FsOptions, FsReadOptions, FsTreeOptions, FsWriteData } from "./src/fs/sandbox_fs.ts";
export type { FsEntry } from "./src/fs/fs_entry.ts";
export type { EventListOptions, EventPage } from "./src/client/account.ts";
export type { AuditEvent, EventActor } from "./src/models/event.ts";
export { EventNotFoundError } from "./src/errors.ts";
export { ConnectionRefusedError } from "./src/errors.ts";
export type { ConnectOptions, SandboxSocket, SocketAddress } from "./src/tcp/sandbox_socket.ts";
export type {
  WebSocketCloseInfo,
  WebSocketConnection,
  WebSocketOpenInfo,
} from "./src/ws/web_socket_connection.ts";
export type { SandboxWebSocketOptions } from "./src/ws/web_socket_options.ts";
