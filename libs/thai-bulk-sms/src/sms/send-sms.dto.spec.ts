import { plainToInstance } from 'class-transformer';
import { SendBulkSmsDto, SendSmsDto } from './send-sms.dto';

describe('the DTOs as SmsService takes them', () => {
  it("turns the HTTP body's force into creditType and keeps every other field", () => {
    const dto = plainToInstance(SendSmsDto, { to: '0812345678', message: 'hi', force: 'corporate', tags: ['a'] });
    expect(SendSmsDto.toSendOptions(dto)).toEqual({
      to: '0812345678',
      message: 'hi',
      creditType: 'corporate',
      tags: ['a'],
    });
    // A body no pipe turned into an instance (Nest's ValidationPipe without transform) reads the same.
    expect(SendSmsDto.toSendOptions({ to: '0812345678', message: 'hi', force: 'standard' })).toEqual({
      to: '0812345678',
      message: 'hi',
      creditType: 'standard',
    });
    const bulk = plainToInstance(SendBulkSmsDto, { to: ['0812345678'], message: 'hi', sender: 'Demo' });
    expect(SendBulkSmsDto.toSendOptions(bulk)).toEqual({ to: ['0812345678'], message: 'hi', sender: 'Demo' });
  });
});
