import { ApiProperty } from '@nestjs/swagger';

/** The answer to a create: the new resource's sid, as jambonz clients read it. */
export class SidResponseDto {
  @ApiProperty({ example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b', format: 'uuid' })
  sid!: string;
}
