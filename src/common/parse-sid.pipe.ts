import {
  type ArgumentMetadata,
  BadRequestException,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import { isUUID } from 'class-validator';

/**
 * A resource sid in a path: a UUID, compared in lower case (sids are stored that way). Anything
 * else is a 400 naming the parameter, so a malformed sid never reaches the database.
 */
@Injectable()
export class ParseSidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const name = metadata.data ?? 'sid';
    if (typeof value !== 'string' || !isUUID(value)) {
      throw new BadRequestException({ msg: `path parameter "${name}" must be a UUID` });
    }
    return value.toLowerCase();
  }
}
