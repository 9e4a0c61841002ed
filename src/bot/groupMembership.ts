import { TeamsInfo, type CloudAdapter } from "botbuilder";
import type { StoredConversation } from "../domain/conversation";
import type { GroupMembership } from "../domain/group/roster";
import { proactiveTurn, toDeliveryError, toReference, withoutHiddenRetries } from "./connectorMessenger";

/**
 * Whether someone is in a group's chat or team right now, asked of Teams (TeamsInfo.getMember,
 * the single-member lookup) at the moment they share into it: the stored roster can be a few
 * hours old, and someone who left must not write to the group's record. Teams answers 404 for
 * a non-member; anything else (Teams away, throttled) is "cannot say", and the stored roster,
 * which membersRemoved keeps current, decides.
 */
export class ConnectorGroupMembership implements GroupMembership {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async isMember(group: StoredConversation, aadObjectId: string): Promise<boolean | undefined> {
    try {
      let found = false;
      await proactiveTurn(
        (logic) => this.adapter.continueConversationAsync(this.appId, toReference(group), logic),
        async (context) => {
          // Within the share's turn: one quick answer, not the client's seconds of retries.
          withoutHiddenRetries(context.turnState.get(context.adapter.ConnectorClientKey));
          found = Boolean((await TeamsInfo.getMember(context, aadObjectId)).id);
        },
      );
      return found;
    } catch (error) {
      return toDeliveryError(error).status === 404 ? false : undefined;
    }
  }
}
