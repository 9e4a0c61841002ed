import { randomBytes, randomUUID } from "node:crypto";
import { BucketStore } from "./storage/insightBuckets";
import { PendingChanges } from "./storage/insightChanges";
import { countReflection, InsightChanges } from "./insight/contributions";
import { partitionKeyOf } from "./domain/identity";
import { pointAuthorKeyer } from "./domain/pointAuthor";
import type { AuthenticatingAdapter } from "./bot/adapter";
import { ConnectorMessenger } from "./bot/connectorMessenger";
import { ConnectorGroupMembership } from "./bot/groupMembership";
import type { GroupMembership } from "./domain/group/roster";
import { LederrefleksionBot } from "./bot/lederrefleksionBot";
import type { NudgeConfig } from "./kernel/config";
import type { Framework } from "./domain/framework";
import { PersonalChat } from "./dialogs/personalChat";
import type { DaysOff } from "./domain/daysOff";
import { settledRecordTtl } from "./domain/expiry";
import type { MemberDirectory } from "./graph/memberRoles";
import type { AbsenceCheck } from "./graph/outOfOffice";
import { unreachable } from "./domain/intent";
import { GroupCommands } from "./group/groupCommands";
import { GroupPreparation } from "./group/preparation";
import { MeetingCommands } from "./group/meetingCommands";
import { MeetingRecord } from "./group/meetingRecord";
import { MeetingPanel } from "./meetings/meetingPanel";
import { MyData } from "./handlers/myData";
import { Reminders } from "./handlers/reminders";
import { ShareWithLeader } from "./handlers/sharing";
import type { PeopleDirectory } from "./graph/people";
import type { ReflectionServices } from "./dialogs/services";
import type { Logger } from "./kernel/log";
import { ConversationDirectory } from "./nudges/conversations";
import { Delivery, DELIVERY_SETTINGS } from "./nudges/delivery";
import { TENANT_LEASE_MS, TENANT_SEND_MARGIN_MS, TenantLeases } from "./nudges/tenantLeases";
import { Groups } from "./group/groups";
import { MeetingLoop } from "./group/meetingLoop";
import type { Messenger } from "./nudges/messenger";
import { SCHEDULE_LEASE_MS } from "./nudges/leases";
import { Outbox } from "./nudges/outbox";
import { PersonalNudges } from "./reminders/personalReminders";
import { DEFAULT_TIMEZONE } from "./domain/time";
import { SlidingWindowLimiter, withHeadroom } from "./nudges/rateLimiter";
import { ScheduleStore } from "./nudges/scheduleStore";
import { Scheduler, SCHEDULER_SETTINGS } from "./nudges/scheduler";
import { ExportService } from "./privacy/exportService";
import { GroupContributions } from "./group/contributions";
import { PostedCards } from "./group/postedCards";
import { GroupMinutes } from "./group/minutes";
import { Pulses } from "./group/pulses";
import { PulseClosing } from "./group/pulseClosing";
import { TeamPulseRecords } from "./group/teamPulseRecords";
import { GroupPulses } from "./storage/pulseStore";
import { PulseLedger } from "./group/pulseLedger";
import { minimumAnswers } from "./domain/group/pulse";
import { GroupDocuments } from "./storage/groupDocuments";
import { GroupMeetings } from "./storage/meetingStore";
import type { CosmosStore } from "./storage/cosmosDatabase";
import { ExportLinkLedger } from "./storage/exportLinks";
import { ReflectionRepository } from "./storage/reflections";
import { UserDataStore } from "./storage/userData";
import { UserSessionStore } from "./storage/userSessions";
import { ShareStore } from "./storage/shares";
import { ShareService } from "./sharing/shareService";
import { shareTabLink } from "./sharing/shareTab";

export interface CompositionOptions {
  readonly store: CosmosStore;
  readonly framework: Framework;
  readonly adapter: AuthenticatingAdapter;
  readonly botAppId: string;
  readonly exportSigningKey: Buffer;
  readonly publicBaseUrl: string;
  readonly nudges: NudgeConfig;
  /** "påmind mig nu" moves a nudge to now: for local use only. */
  readonly allowTimeTravel: boolean;
  readonly log: Logger;
  readonly clock?: () => Date;
  /** How delivery waits for its turn under the rate limits; tests move a fake clock instead. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly newToken?: () => string;
  /** Tests put a different outside world here; by default the Bot Connector. */
  readonly messenger?: Messenger;
  /** Teams' single-member lookup; by default asked only of a registered bot (local runs use the stored roster). */
  readonly membership?: GroupMembership;
  readonly instanceId?: string;
  /** Who is an owner or a guest in a team or chat: Graph when registered, everyone in local runs. */
  readonly members: MemberDirectory;
  /** Holidays and closed days, when nothing is sent. */
  readonly daysOff: DaysOff;
  /** Out of office (OUT_OF_OFFICE_CHECK): no reminders while automatic replies are on. */
  readonly absence?: AbsenceCheck;
  /** RETENTION_DAYS: reflections then carry a ttl. */
  readonly retentionDays?: number;
  /** The Teams app's id (the manifest's id): Til min leder's notice links to the app's tab with it. */
  readonly teamsAppId?: string;
  /** Til min leder: the leader's manager and a chosen person's name from Microsoft Graph; absent in local runs. */
  readonly people?: PeopleDirectory;
}

/** Every collaborator, built once: the app and the tests wire the bot the same way. */
export function composeBot(options: CompositionOptions) {
  const { store, framework, log } = options;
  const clock = options.clock ?? (() => new Date());
  const reflections = new ReflectionRepository(store.containers.userData, { days: options.retentionDays, clock });
  const sessions = new UserSessionStore(store.containers.userData);
  const schedules = new ScheduleStore([store.containers.userData, store.containers.channels]);
  const outbox = new Outbox(store.containers.outbox, settledRecordTtl(options.nudges.outboxKeepDays));
  const groupDocuments = new GroupDocuments(store.containers.channels);
  const conversations = new ConversationDirectory(sessions, groupDocuments);
  const personalNudges = new PersonalNudges({
    framework,
    schedules,
    sessions,
    reflections,
    clock,
    daysOff: options.daysOff,
    ...(options.absence ? { absence: options.absence } : {}),
    insightConsent: options.nudges.insightConsent,
    log,
  });

  const insightConsent = options.nudges.insightConsent;
  const buckets = new BucketStore(store.containers.insight, Math.max(5, options.nudges.insightMinLeaders));
  const holder = options.instanceId ?? `instance-${randomUUID().slice(0, 8)}`;
  const pendingChanges = new PendingChanges([store.containers.userData, store.containers.channels]);
  const insight = new InsightChanges(buckets, pendingChanges, schedules, clock, log, holder);
  const services: ReflectionServices = {
    framework,
    reflections,
    clock,
    insightConsent,
    insightChangeFor: (user, session, reflection) => countReflection(session, user, reflection, insightConsent, clock()),
    newId: () => randomUUID(),
    newToken: options.newToken ?? (() => randomBytes(12).toString("base64url")),
    followUpFor: (user, reflection, timezone) => personalNudges.followUpFor(user, reflection, timezone ?? DEFAULT_TIMEZONE),
    // Bound below, once the group side exists.
    offerShare: (turn, reflection) => preparation.offerAfterReflection({ session: turn }, reflection),
    takenQuestions: async (turn) => (await sharing.questionsForReflection(turn)).map((part) => ({ text: part.text, keep: (activityId: string) => sharing.keepTaken(turn, part.shareId, activityId) })),
  };
  const meetings = new GroupMeetings(store.containers.channels);
  const authorKeyOf = pointAuthorKeyer(options.exportSigningKey);
  const messenger = options.messenger ?? new ConnectorMessenger(options.adapter, options.botAppId);
  const groups = new Groups({ framework, documents: groupDocuments, schedules, outbox, clock, daysOff: options.daysOff });
  const pulseStore = new GroupPulses(store.containers.channels);
  const pulseLedger = new PulseLedger(store.containers.channels);
  const teamPulseRecords = new TeamPulseRecords(sessions);
  const minAnswers = minimumAnswers(options.nudges.pulseMinAnswers);
  const pulseClosing = new PulseClosing({ framework, store: pulseStore, ledger: pulseLedger, documents: groupDocuments, leaders: teamPulseRecords, outbox, clock, minAnswers });
  const pulses = new Pulses({
    framework, store: pulseStore, ledger: pulseLedger, closing: pulseClosing, groups, documents: groupDocuments, leaders: teamPulseRecords, authorKeyOf, clock,
    newId: () => randomBytes(12).toString("base64url"), minAnswers, openDays: options.nudges.pulseOpenDays, log,
  });
  const meetingLoop = new MeetingLoop({ framework, groups, meetings, outbox, clock, newToken: services.newToken, sessions, daysOff: options.daysOff, pulses, pulseClosing });
  const minutes = new GroupMinutes({ framework, groups, meetings, pulses, signingKey: options.exportSigningKey, publicBaseUrl: options.publicBaseUrl, clock });
  const meetingRecord = new MeetingRecord({ meetings, loop: meetingLoop, clock });
  const postedCards = new PostedCards({ outbox, messenger, meetings, groups, loop: meetingLoop, minutes, pulses, clock, log });
  // The meeting's side panel: the chat's reads, decisions and cards, from another surface.
  const meetingPanel = new MeetingPanel({ groups, meetings, loop: meetingLoop, record: meetingRecord, postedCards, clock, log });
  const contributions = new GroupContributions({ meetings, groups: groupDocuments, authorKeyOf, log, postedCards });
  const shares = new ShareService({
    shares: new ShareStore(store.containers.userData),
    sessions,
    outbox,
    messenger,
    tabLink: (share) => shareTabLink(share, { teamsAppId: options.teamsAppId || options.botAppId, publicBaseUrl: options.publicBaseUrl }),
    log,
    clock,
    holder,
  });
  const exports = new ExportService({
    framework,
    sessions,
    reflections,
    schedules,
    groups: contributions,
    ledger: new ExportLinkLedger(store.containers.exports),
    shares,
    signingKey: options.exportSigningKey,
    publicBaseUrl: options.publicBaseUrl,
    clock,
  });
  const userData = new UserDataStore(
    store.containers.userData,
    (pk) => outbox.deleteForOwner(pk),
    (user) => sessions.beginErasure(user),
    (user, start) => insight.withdraw({ pk: partitionKeyOf(user), tenantId: user.tenantId }, start.insight, start.withdrawalId),
  );
  const myData = new MyData({ ...services, insightConsent, reflections, userData, exports, groups: contributions, pulses, shares, postsKeptDays: options.nudges.outboxKeepDays });
  const reminders = new Reminders(personalNudges, { clock, allowTimeTravel: options.allowTimeTravel });
  const membership = options.membership ?? (options.botAppId ? new ConnectorGroupMembership(options.adapter, options.botAppId) : undefined);
  const preparation = new GroupPreparation({ groups, meetings, loop: meetingLoop, reflections, clock, newToken: services.newToken, authorKeyOf, ...(membership ? { membership } : {}) });
  // Delivery before the bot: a message a turn sends at once goes through it too (Delivery.sendNow).
  const tenantLimits = withHeadroom([{ max: options.nudges.tenantRps, perMs: 1_000 }]);
  const conversationLimits = withHeadroom(options.nudges.conversationLimits);
  const limiter = new SlidingWindowLimiter((key) => (key.startsWith("tenant:") ? tenantLimits : conversationLimits));
  const tenants = new TenantLeases(store.containers.outbox, { holder, leaseMs: TENANT_LEASE_MS, sendMarginMs: TENANT_SEND_MARGIN_MS, clock });
  const delivery = new Delivery(
    outbox,
    messenger,
    limiter,
    tenants,
    (conversation, reason) => conversations.deactivate(conversation, reason, clock()),
    { holder, ...DELIVERY_SETTINGS, clock, sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))) },
    log,
  );
  const sharing = new ShareWithLeader({ framework, reflections, shares, ...(options.people ? { people: options.people } : {}), clock, newToken: services.newToken, log });
  const bot = new LederrefleksionBot(
    sessions,
    { chat: new PersonalChat(services, reminders), myData, reminders, preparation, pulses, sharing },
    log,
    conversations,
    new GroupCommands(groups, groupDocuments, framework, delivery, options.members, clock, services.newToken),
    new MeetingCommands({ framework, groups, meetings, documents: groupDocuments, loop: meetingLoop, record: meetingRecord, minutes, clock, allowMockEvents: options.allowTimeTravel }),
    delivery,
    pulses,
    postedCards,
  );

  const scheduler = new Scheduler(
    schedules,
    outbox,
    // Every kind has its composer; a new kind without one does not compile.
    (schedule, runAt, sessions) => {
      switch (schedule.kind) {
        case "personal-nudge":
        case "follow-up":
          return personalNudges.compose(schedule, runAt, sessions);
        case "channel-theme":
        case "channel-meeting":
          return groups.schedules.compose(schedule, runAt);
        case "meeting-invitations":
          return meetingLoop.composeInvitations(schedule, runAt);
        case "meeting-start":
        case "meeting-end":
          return meetingLoop.compose(schedule, runAt);
        case "agreement-reminder":
          return meetingLoop.composeReminder(schedule);
        case "pulse-close":
          return pulseClosing.composeClose(schedule);
        case "insight-change":
          return insight.compose(schedule);
        default:
          return unreachable(schedule.kind);
      }
    },
    { holder, leaseMs: SCHEDULE_LEASE_MS, graceMs: options.nudges.graceMs, ...SCHEDULER_SETTINGS, clock, daysOff: options.daysOff },
    log,
    // A chunk's reminders read their leaders' sessions in one bulk request.
    (due) => personalNudges.sessionsOf(due),
  );
  return { bot, meetingPanel, services, reflections, sessions, schedules, outbox, exports, minutes, pulses, pulseClosing, personalNudges, groups, meetings, meetingLoop, conversations, scheduler, delivery, buckets, insight, pendingChanges, shares };
}
