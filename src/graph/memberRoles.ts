import type { MemberRole } from "../domain/group/groupSettings";
import type { GraphClient } from "./graphClient";

/** Where a person's standing is looked up: a team (by its Entra group id) or a chat. */
export type MemberScope = { readonly kind: "team"; readonly groupId: string | undefined } | { readonly kind: "chat"; readonly chatId: string };

/** A person's standing in a team or chat: owner, member or guest. */
export interface MemberDirectory {
  roleOf(scope: MemberScope, aadObjectId: string): Promise<MemberRole>;
}

interface ConversationMember {
  readonly userId?: string;
  readonly roles?: readonly string[];
}

/**
 * Through Microsoft Graph, with the resource-specific permissions the team or chat granted
 * when it installed the app (TeamMember.Read.Group, ChatMember.Read.Chat): no tenant-wide
 * consent needed. Graph's "roles" hold "owner" or "guest"; an ordinary member has none.
 */
export class GraphMemberDirectory implements MemberDirectory {
  constructor(private readonly graph: GraphClient) {}

  async roleOf(scope: MemberScope, aadObjectId: string): Promise<MemberRole> {
    const id = encodeURIComponent(aadObjectId.replace(/'/g, "''"));
    // Teams puts the team's group id on every channel activity; without it there is nothing to ask.
    if (scope.kind === "team" && !scope.groupId) return "unknown";
    const members =
      scope.kind === "team"
        ? (await this.graph.get<{ value?: ConversationMember[] }>(
            `/teams/${encodeURIComponent(scope.groupId ?? "")}/members?$filter=(microsoft.graph.aadUserConversationMember/userId%20eq%20'${id}')`,
          )).value
        : (await this.graph.get<{ value?: ConversationMember[] }>(`/chats/${encodeURIComponent(scope.chatId)}/members`)).value;
    const member = (members ?? []).find((m) => m.userId === aadObjectId);
    if (!member) return "unknown";
    if (member.roles?.includes("guest")) return "guest";
    return member.roles?.includes("owner") ? "owner" : "member";
  }
}

/**
 * Anonymous local runs (the Playground) have no Graph and one pretend user: everyone may set up.
 * Never used when an app id is set.
 */
export class LocalMemberDirectory implements MemberDirectory {
  async roleOf(): Promise<MemberRole> {
    return "owner";
  }
}
