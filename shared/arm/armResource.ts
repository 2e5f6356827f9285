/** The ARM resource envelope every GET returns. */
export interface ArmResource<P = unknown> {
  id: string;
  name: string;
  type: string;
  location?: string;
  properties: P;
  [extra: string]: unknown;
}

/** Builds a resource envelope; `location` is omitted when undefined. */
export function armResource<P>(id: string, name: string, type: string, properties: P, location?: string): ArmResource<P> {
  const resource: ArmResource<P> = { id, name, type, properties };
  if (location !== undefined) resource.location = location;
  return resource;
}
