/**
 * The parts of botbuilder-dialogs the bot uses, taken from the package's own modules rather than
 * its index. The index also loads every prompt with Microsoft's text recognizers (numbers,
 * dates, choices in many languages): about 30 MB of every process, and no dialog here prompts
 * through them. 4.23 is the SDK's last version (it is archived), so these paths stay put;
 * test/dialogs/sdk.test.ts checks that they are the index's own classes.
 */
export { ComponentDialog } from "botbuilder-dialogs/lib/componentDialog";
export { Dialog, DialogReason, DialogTurnStatus, type DialogInstance, type DialogTurnResult } from "botbuilder-dialogs/lib/dialog";
export { type DialogContext, type DialogState } from "botbuilder-dialogs/lib/dialogContext";
export { DialogSet } from "botbuilder-dialogs/lib/dialogSet";
export { WaterfallDialog } from "botbuilder-dialogs/lib/waterfallDialog";
export { type WaterfallStepContext } from "botbuilder-dialogs/lib/waterfallStepContext";
