import type { StatePropertyAccessor, TurnContext } from "botbuilder";
import type { DialogState } from "./sdk";
import type { TurnSession } from "../domain/turnSession";
import { AppError, ErrorCodes } from "../kernel/errors";

const TURN_SESSION = Symbol("turnSession");

export function setTurnSession(context: TurnContext, turnSession: TurnSession): void {
  context.turnState.set(TURN_SESSION, turnSession);
}

/** The user and session of a personal-chat turn; the bot loads them before any dialog runs. */
export function turnSession(context: TurnContext): TurnSession {
  const found = context.turnState.get(TURN_SESSION) as TurnSession | undefined;
  if (!found) throw new AppError(ErrorCodes.invariantBroken, { detail: "no user session in this turn: dialogs run only in personal chats" });
  return found;
}

/**
 * Lets botbuilder-dialogs keep its stack inside our session document instead of a BotState,
 * so the stack is read and written with the rest of the session in one round trip each way.
 */
export const dialogStateAccessor: StatePropertyAccessor<DialogState> = {
  async get(context: TurnContext, defaultValue?: DialogState): Promise<DialogState> {
    const { session } = turnSession(context);
    if (!session.dialogState && defaultValue) session.dialogState = defaultValue as unknown as Record<string, unknown>;
    return session.dialogState as unknown as DialogState;
  },
  async set(context: TurnContext, value: DialogState): Promise<void> {
    turnSession(context).session.dialogState = value as unknown as Record<string, unknown>;
  },
  async delete(context: TurnContext): Promise<void> {
    delete turnSession(context).session.dialogState;
  },
};
