import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength, ValidateBy } from 'class-validator';

/**
 * A string the database stores as given: at most `maxLength` long and without NUL characters,
 * which PostgreSQL refuses in text (a 400 here rather than a 500 from the database).
 */
export function IsStoredText(
  maxLength: number,
  opts: { allowEmpty?: boolean } = {},
): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ...(opts.allowEmpty ? [] : [IsNotEmpty()]),
    MaxLength(maxLength),
    ValidateBy({
      name: 'hasNoNul',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !value.includes('\0'),
        defaultMessage: (args) => `${args?.property ?? 'value'} must not contain NUL characters`,
      },
    }),
  );
}
