import type { Business } from '../domain/booking/business';
import { interpret } from '../domain/language/interpreter';
import type { LanguageModel, ModelReply, ModelRequest } from '../domain/model';

/**
 * The built-in offline "model": the deterministic interpreter behind the same port as the OpenAI-compatible
 * adapter, so the product runs end to end without a network or an API key. It answers each call with tool calls or
 * a final text, as a chat model does, and ends every turn within four calls.
 */
export function createOfflineModel(business: Business): LanguageModel {
  return {
    async complete(request: ModelRequest): Promise<ModelReply> {
      return { ...interpret(request, business), usage: { promptTokens: 0, completionTokens: 0 } };
    },
  };
}
