import { IsInt, IsString, Length, Min } from 'class-validator';

/** The body of POST /api/orders, checked by the host's global ValidationPipe. */
export class CreateOrderDto {
  @IsString()
  @Length(1, 64)
  buyerId!: string;

  @IsString()
  @Length(1, 200)
  item!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}
