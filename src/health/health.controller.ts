import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ThaiBulkSmsHealthIndicator } from '@app/thai-bulk-sms';
import { Public } from '../auth/public.decorator';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HEALTH_DOWN_EXAMPLE, HEALTH_UP_EXAMPLE, HealthResultDto } from './health.dto';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly thaiBulkSms: ThaiBulkSmsHealthIndicator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  // Our own response models instead of terminus' generic ones (whose example is a "database").
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Liveness and ThaiBulkSMS reachability',
    description:
      'Up when the credit endpoint answers and, if THAIBULKSMS_MIN_CREDIT is set, the standard balance is at least that. No key needed.',
  })
  @ApiOkResponse({ type: HealthResultDto, description: 'Up: `status` is "ok".', example: HEALTH_UP_EXAMPLE })
  @ApiServiceUnavailableResponse({
    type: HealthResultDto,
    description: 'Down: `status` is "error", with the reason in `error` and `details`.',
    example: HEALTH_DOWN_EXAMPLE,
  })
  check() {
    const minCredit = this.config.thaiBulkSms.minCredit;
    return this.health.check([
      async () => {
        const result = await this.thaiBulkSms.isHealthy('thaibulksms', { minCredit: minCredit ?? 0, timeoutMs: 5_000 });
        // /health is public: keep the status and the reason, not our balances.
        const { status, reason } = result.thaibulksms;
        return { thaibulksms: reason === undefined ? { status } : { status, reason } };
      },
    ]);
  }
}
