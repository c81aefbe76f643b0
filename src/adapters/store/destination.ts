// Where an outbox row goes: a Matrix room (by its name in matrix.rooms) or a downstream trigger (by
// its name in triggers). A tagged value end to end; stored as (dest_kind, dest) columns.
export type Destination = { kind: 'room'; room: string } | { kind: 'trigger'; trigger: string };

export const toRoom = (room: string): Destination => ({ kind: 'room', room });
export const toTrigger = (trigger: string): Destination => ({ kind: 'trigger', trigger });

/** The name within its kind (the stored `dest` column). */
export const destName = (d: Destination): string => (d.kind === 'room' ? d.room : d.trigger);

/** One string per destination, for maps, log fields and metric labels: `news`, `trigger:ci`. */
export const destKey = (d: Destination): string => (d.kind === 'room' ? d.room : `trigger:${d.trigger}`);

export function destFromColumns(kind: unknown, name: unknown): Destination {
  return kind === 'trigger' ? toTrigger(String(name)) : toRoom(String(name));
}
