import { Body, Controller, HttpCode, Param, Post, UseGuards, ValidationPipe } from '@nestjs/common';
import { IsNumber, IsPositive, IsString, Length } from 'class-validator';
import { BearerAuthGuard, CurrentPrincipal, Principal } from '../../src/index';
import { ExpensesService } from './expenses.service';

class SubmitExpenseDto {
  @IsNumber({ maxDecimalPlaces: 2 })
  @IsPositive()
  amount: number;

  @IsString()
  @Length(1, 500)
  description: string;

  @IsString()
  @Length(1, 255)
  approverId: string;
}

class RejectExpenseDto {
  @IsString()
  @Length(1, 1000)
  reason: string;
}

const validation = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

/** The expense routes; the caller is the token's `sub` (the module's guard checks the token). */
@Controller('expenses')
@UseGuards(BearerAuthGuard)
export class ExpensesController {
  constructor(private readonly expenses: ExpensesService) {}

  @Post()
  submit(@CurrentPrincipal() user: Principal, @Body(validation) body: SubmitExpenseDto) {
    const { id, status } = this.expenses.submit(user.userId, body);
    return { id, status };
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(@CurrentPrincipal() user: Principal, @Param('id') id: string) {
    const { status } = this.expenses.approve(user, id);
    return { id, status };
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(@CurrentPrincipal() user: Principal, @Param('id') id: string, @Body(validation) body: RejectExpenseDto) {
    const { status } = this.expenses.reject(user, id, body.reason);
    return { id, status };
  }
}
