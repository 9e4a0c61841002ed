import type { UserKey } from "../domain/identity";
import type { GraphClient } from "./graphClient";

/** A person in the leader's tenant, as Til min leder names them: their Entra object id and display name. */
export interface Person {
  readonly aadObjectId: string;
  readonly name: string;
}

/** Who a leader's own leader is, and what someone chosen on the people picker is called. */
export interface PeopleDirectory {
  /** The leader's manager in Entra ID; undefined when none is set or the tenant does not let the app read it. */
  managerOf(user: UserKey): Promise<Person | undefined>;
  /** A person's display name, for the preview's »Kun … kan se det«; undefined when it cannot be read. */
  nameOf(user: UserKey): Promise<string | undefined>;
  /** The Entra object id behind a people picker's value, where a client submits something else (the Playground); Teams submits the id itself. */
  fromPicker?(value: string): string | undefined;
}

interface GraphUser {
  readonly "@odata.type"?: string;
  readonly id?: string;
  readonly displayName?: string | null;
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Through Microsoft Graph with the bot's own (application) token: `GET /users/{id}/manager` and
 * `GET /users/{id}`, each with `$select=id,displayName` only. The least permission that reads
 * another user's manager as an application is User.Read.All (docs/til-min-leder.md says why);
 * without it Graph answers 403, and the card falls back to the people picker alone. A manager
 * that is an organisational contact (no Entra user) is not offered: a share is bound to a user.
 */
export class GraphPeople implements PeopleDirectory {
  constructor(private readonly graph: GraphClient) {}

  async managerOf(user: UserKey): Promise<Person | undefined> {
    const manager = await this.graph.get<GraphUser>(`/users/${encodeURIComponent(user.userId)}/manager?$select=id,displayName`);
    if (manager["@odata.type"] && manager["@odata.type"] !== "#microsoft.graph.user") return undefined;
    return manager.id && OBJECT_ID.test(manager.id) ? { aadObjectId: manager.id.toLowerCase(), name: boundedName(manager.displayName) } : undefined;
  }

  async nameOf(user: UserKey): Promise<string | undefined> {
    if (!OBJECT_ID.test(user.userId)) return undefined;
    const found = await this.graph.get<GraphUser>(`/users/${encodeURIComponent(user.userId)}?$select=id,displayName`);
    return found.displayName ? boundedName(found.displayName) : undefined;
  }
}

/** A display name as far as a card needs it: Entra allows 256 characters. */
function boundedName(name: string | null | undefined): string {
  return (name ?? "").replace(/\s+/g, " ").trim().slice(0, 256);
}

/**
 * The Microsoft 365 Agents Playground's pretend organisation, for anonymous local runs only (no
 * Graph there): the users of .m365agentsplayground.yml. Its people picker submits a user's Teams
 * id ("29:jonas-chef") where Teams submits the Entra object id, so `fromPicker` translates it.
 * Read with a few lines rather than a YAML library: the file is ours and flat.
 */
export class PlaygroundPeople implements PeopleDirectory {
  private readonly people: ReadonlyArray<Person & { readonly teamsId: string }>;

  constructor(configText: string) {
    const entries: Array<Record<string, string>> = [];
    for (const line of configText.split("\n")) {
      // A top-level key (currentUser:) or a list item (- id: …) starts an entry; its fields follow, indented.
      if (/^\S/.test(line) || /^\s*-\s/.test(line)) entries.push({});
      const field = /^\s*(?:-\s+)?(id|name|aadObjectId):\s*(.+?)\s*$/.exec(line);
      if (field && entries.length > 0) entries.at(-1)![field[1]!] = field[2]!;
    }
    this.people = entries
      .filter((e) => e.id?.startsWith("29:") && e.name && e.aadObjectId && OBJECT_ID.test(e.aadObjectId))
      .map((e) => ({ teamsId: e.id!, name: e.name!, aadObjectId: e.aadObjectId!.toLowerCase() }));
  }

  async managerOf(): Promise<Person | undefined> {
    return undefined;
  }

  async nameOf(user: UserKey): Promise<string | undefined> {
    return this.people.find((p) => p.aadObjectId === user.userId.toLowerCase())?.name;
  }

  /** A picker's value as the Playground submits it (a Teams id), as the Entra object id Teams would submit. */
  fromPicker(value: string): string | undefined {
    return this.people.find((p) => p.teamsId === value)?.aadObjectId;
  }
}
