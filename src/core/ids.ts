/** Branded identifiers, so a participant id cannot be passed where a device id is expected. */
export type Brand<T, B extends string> = T & { readonly __brand: B };
export type ParticipantId = Brand<string, 'ParticipantId'>;
export type DeviceId = Brand<string, 'DeviceId'>;

export const participantId = (value: string): ParticipantId => value as ParticipantId;
export const deviceId = (value: string): DeviceId => value as DeviceId;
