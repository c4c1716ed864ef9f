import { jsonResponse, SandboxResponse } from './sandbox.response';
import { SandboxState } from './sandbox.state';

/**
 * GET /credit (docs/vendor-api.md, "Credit"): both pools, after authentication. `creditShape: 'number'` answers
 * the bare number the vendor's own client also copes with, so that parsing path can be tested.
 */
export function handleCredit(state: SandboxState): SandboxResponse {
  if (state.options.creditShape === 'number') return jsonResponse(200, state.balances.standard);
  return jsonResponse(200, {
    remaining_credit: { standard: state.balances.standard, corporate: state.balances.corporate },
  });
}
