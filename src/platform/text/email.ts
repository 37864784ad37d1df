/** The longest email address we take: 64 characters before the @ and 255 after, and the @ itself. */
export const EMAIL_MAX_LENGTH = 320;

// Deliberately permissive: one @, something either side, a dot in the domain, no spaces.
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a value looks like an email address (the check people see on every form that asks for one). */
export function isEmailAddress(value: string): boolean {
  return EMAIL_ADDRESS.test(value);
}
