/** Staff roles. Later capabilities add theirs here so the role list stays in one place. */
export const ROLES = {
  platform_admin: 'Platform admin',
  agency_admin: 'Agency admin',
  editor: 'Editor',
  reviewer: 'Reviewer',
  caseworker: 'Caseworker',
  team_lead: 'Team lead',
  analyst: 'Analyst',
  assessor: 'Maturity assessor',
} as const;
export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

/** A signed-in staff member as every route sees them. */
export interface StaffUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  agencyId: string | null;
}

export function hasRole(user: StaffUser, ...roles: Role[]): boolean {
  return user.roles.includes('platform_admin') || roles.some((role) => user.roles.includes(role));
}

/** Whether the user may see or change data owned by the agency: their own, or any for platform admins. */
export function canActForAgency(user: StaffUser, agencyId: string | null): boolean {
  return user.roles.includes('platform_admin') || (agencyId !== null && user.agencyId === agencyId);
}
