import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ThaiBulkSmsHealthIndicator } from '@app/thai-bulk-sms';
import { Public } from '../auth/public.decorator';
import { healthConfig, HealthConfig } from '../config/namespaces/health.config';
import { HEALTH_DOWN_EXAMPLE, HEALTH_UP_EXAMPLE, HealthResultDto, LivenessResultDto } from './health.dto';
import { LedgerHealthCheck } from './ledger-health';

/**
 * Public, so anyone can call it as often as they like: readiness reuses one ThaiBulkSMS check
 * for HEALTH_CACHE_SECONDS (the library indicator's cache; one check in flight at most, and it
 * never waits behind or takes a send's rate-limit slot), and liveness makes no upstream call.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly thaiBulkSms: ThaiBulkSmsHealthIndicator,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
    private readonly ledger: LedgerHealthCheck,
  ) {}

  @Get()
  // Our own response models instead of terminus' generic ones (whose example is a "database").
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: ThaiBulkSMS reachable',
    description:
      'Up when the credit endpoint answers and, if THAIBULKSMS_MIN_CREDIT is set, the standard balance is at least that. ' +
      'One upstream check answers every call for HEALTH_CACHE_SECONDS (10), so a flood of health checks costs the account almost nothing ' +
      'and never holds a send back. With the message ledger on, `ledger` shows its state (`up`, `buffering`, `unreachable`, `down`), ' +
      'from one database ping per HEALTH_CACHE_SECONDS; it is down only when its buffer overflowed. No key needed.',
  })
  @ApiOkResponse({ type: HealthResultDto, description: 'Up: `status` is "ok".', example: HEALTH_UP_EXAMPLE })
  @ApiServiceUnavailableResponse({
    type: HealthResultDto,
    description: 'Down: `status` is "error", with the reason in `error` and `details`.',
    example: HEALTH_DOWN_EXAMPLE,
  })
  check() {
    const { minCredit, cacheSeconds } = this.config;
    return this.health.check([
      async () => {
        const result = await this.thaiBulkSms.isHealthy('thaibulksms', {
          minCredit: minCredit ?? 0,
          timeoutMs: 5_000,
          cacheTtlMs: cacheSeconds * 1000,
        });
        // /health is public: keep the status and the reason, not our balances.
        const { status, reason } = result.thaibulksms;
        return { thaibulksms: reason === undefined ? { status } : { status, reason } };
      },
      // The message ledger, when on: down only when rows were lost (its buffer overflowed).
      ...(this.ledger.enabled ? [async () => ({ ledger: await this.ledger.check() })] : []),
    ]);
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers (no upstream call)',
    description:
      'For a liveness probe: answers as long as the app serves requests, whatever ThaiBulkSMS does. No key needed.',
  })
  @ApiOkResponse({ type: LivenessResultDto })
  live(): LivenessResultDto {
    return { status: 'ok' };
  }
}
