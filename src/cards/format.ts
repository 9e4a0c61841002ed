const DANISH_DATE = new Intl.DateTimeFormat("da-DK", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Copenhagen" });

/** "3. november 2026" for an ISO timestamp or YYYY-MM-DD date. */
export function danishDate(iso: string, timeZone?: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  const format = timeZone
    ? new Intl.DateTimeFormat("da-DK", { day: "numeric", month: "long", year: "numeric", timeZone })
    : DANISH_DATE;
  return format.format(date);
}
