/**
 * The baseline of the app bench: a bare Nest (Express) app whose POST /sms makes the same
 * upstream call as the sample app, with raw axios over a keep-alive agent and nothing else (no
 * guard, no validation, no library, no logging per request). Started as its own process:
 *
 *   PORT=3999 UPSTREAM_URL=http://127.0.0.1:4010 node -r ts-node/register/transpile-only bench/lib/bare-nest-app.ts
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import axios from 'axios';
import * as http from 'node:http';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../libs/thai-bulk-sms/src/sandbox';

const upstream = axios.create({ httpAgent: new http.Agent({ keepAlive: true }) });
const auth = { username: SANDBOX_DEFAULT_CREDENTIALS.apiKey, password: SANDBOX_DEFAULT_CREDENTIALS.apiSecret };
const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };

@Controller('sms')
class BareSmsController {
  @Post()
  @HttpCode(201)
  async send(@Body() body: { to: string; message: string; sender?: string }): Promise<unknown> {
    const form = new URLSearchParams({
      message: body.message,
      sender: body.sender ?? 'SMS.',
      force: 'standard',
      msisdn: body.to,
    }).toString();
    const response = await upstream.post(`${process.env.UPSTREAM_URL}/sms`, form, { auth, headers, maxRedirects: 0 });
    return response.data;
  }
}

@Module({ controllers: [BareSmsController] })
class BareAppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareAppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
