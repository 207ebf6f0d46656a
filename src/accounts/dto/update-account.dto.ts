import { ApiProperty } from '@nestjs/swagger';
import { IsStoredText } from '../../common/stored-text.validator';

export class UpdateAccountDto {
  @ApiProperty({ example: 'Acme Corporation', maxLength: 255 })
  @IsStoredText(255)
  name!: string;
}
