/**
 * Told which events a write changed, once the write has committed: the live feed (src/live/)
 * implements it to wake its subscribers. Only ids travel: readers read the events themselves.
 */
export interface ChangeNotifier {
  eventsChanged(eventIds: readonly number[]): Promise<void>;
}
