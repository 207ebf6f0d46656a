import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * The stored form of a phone number: digits only, country code first, no '+'. International
 * forms (`+1 (508) 571-0838`, `+15085710838`, `0015085710838`) keep their country code; a
 * national number is expanded with `defaultCountry`; digits that already start with a valid
 * country code (`15085710838`) are kept. Short codes and numbers no library knows stay as their
 * digits, so a provider's odd sender id still matches itself.
 * Returns undefined when the text holds no digits or characters a number cannot have.
 */
export function normalizePhoneNumber(
  input: string,
  defaultCountry: CountryCode,
): string | undefined {
  const raw = input.trim();
  if (!/^\+?[\d\s().\-/]{1,40}$/.test(raw)) return undefined;
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 0 || digits.length > 15) return undefined;
  if (raw.startsWith('+')) {
    return parsePhoneNumberFromString(raw)?.isPossible() ? digits : undefined;
  }
  if (digits.startsWith('00')) {
    const intl = parsePhoneNumberFromString(`+${digits.slice(2)}`);
    if (intl?.isPossible()) return digits.slice(2);
  }
  const national = parsePhoneNumberFromString(digits, defaultCountry);
  if (national?.isValid()) return `${national.countryCallingCode}${national.nationalNumber}`;
  const international = parsePhoneNumberFromString(`+${digits}`);
  if (international?.isValid()) return digits;
  if (national?.isPossible()) return `${national.countryCallingCode}${national.nationalNumber}`;
  return digits;
}
