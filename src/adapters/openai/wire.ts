import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage, ModelReply } from '../../domain/model';
import { isoDate, localTime, toolDescriptions, toolSchema, type ToolCall, type ToolName } from '../../domain/tools';

/**
 * Translation between our model contract (src/domain/model.ts) and the Chat Completions wire format. Written for
 * the lowest common denominator of OpenAI-compatible servers (OpenAI, Azure, Ollama, vLLM, llama.cpp, the Gemini
 * and Claude compatibility endpoints): only the fields every one of them accepts go out, and replies are read
 * leniently, because each server bends the format a little differently.
 */

/** Our history as Chat Completions messages. */
export function toWireMessages(messages: ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'system':
      case 'user':
        return { role: message.role, content: message.content };
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        if (calls.length === 0) return { role: 'assistant', content: message.content ?? '' };
        return {
          role: 'assistant',
          content: message.content,
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: replayableArguments(call.arguments) },
          })),
        };
      }
    }
  });
}

/**
 * Arguments exactly as the model wrote them when they are JSON; `{}` otherwise. Several servers (llama.cpp, vLLM
 * chat templates) parse the arguments of earlier calls and reject the whole request when they are not JSON; the
 * tool message that follows already tells the model its arguments were invalid.
 */
function replayableArguments(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return '{}';
  }
}

const toolCache = new Map<ToolName, ChatCompletionTool>();

/** The function tools for these names, with JSON Schemas derived from our zod schemas (src/domain/tools.ts). */
export function toWireTools(names: ToolName[]): ChatCompletionTool[] {
  return names.map((name) => {
    let tool = toolCache.get(name);
    if (!tool) {
      const parameters = portableSchema(z.toJSONSchema(toolSchema(name), { io: 'input' }) as JsonSchema);
      const hasParameters = Object.keys(parameters.properties ?? {}).length > 0;
      tool = {
        type: 'function',
        // A tool without parameters goes out without `parameters`: Gemini rejects an object schema with no properties.
        function: { name, description: toolDescriptions[name], ...(hasParameters ? { parameters } : {}) },
      };
      toolCache.set(name, tool);
    }
    return tool;
  });
}

type JsonSchema = {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  [keyword: string]: unknown;
};

/** Formats we can say in words; models follow a short hint better than a long regular expression. */
const formatHints = new Map<string, string>([
  [patternOf(isoDate), 'YYYY-MM-DD'],
  [patternOf(localTime), 'HH:MM, 24-hour'],
  ['date-time', 'ISO-8601 instant with offset, copied exactly from get_availability'],
]);

function patternOf(schema: z.ZodType): string {
  return (z.toJSONSchema(schema) as JsonSchema).pattern ?? '';
}

/**
 * Keeps the keywords every compatible server accepts (type, description, properties, required, items, enum) and
 * turns formats and patterns into words in the description. Gemini's endpoint rejects `$schema`, `pattern`,
 * `additionalProperties` and length bounds; our own validation enforces all of them anyway.
 */
function portableSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  if (schema.type !== undefined) out.type = schema.type;
  const hint = formatHints.get(schema.format ?? '') ?? formatHints.get(schema.pattern ?? '');
  const description = [schema.description, hint && `format: ${hint}`].filter(Boolean).join('; ');
  if (description) out.description = description;
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, portableSchema(value)]));
  }
  if (schema.required && schema.required.length > 0) out.required = [...schema.required];
  if (schema.items) out.items = portableSchema(schema.items);
  if (schema.enum) out.enum = [...schema.enum];
  return out;
}

/** A chat completion as compatible servers actually send it: most fields optional, some loosely typed. */
const wireCompletion = z.looseObject({
  id: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.union([z.string(), z.array(z.looseObject({ text: z.string().optional() }))]).nullish(),
          tool_calls: z
            .array(
              z.looseObject({
                id: z.string().nullish(),
                function: z.looseObject({ name: z.string().nullish(), arguments: z.unknown() }).nullish(),
                // The custom-tool shape of newer OpenAI APIs, read so nothing is silently dropped.
                custom: z.looseObject({ name: z.string().nullish(), input: z.string().nullish() }).nullish(),
              }),
            )
            .nullish(),
        }),
      }),
    )
    .min(1),
  usage: z.looseObject({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});

/** Why a body is not a usable chat completion (for the error message), or the parsed reply. */
export function fromWireCompletion(body: unknown, idSeed: string): { ok: true; reply: ModelReply } | { ok: false; problem: string } {
  const parsed = wireCompletion.safeParse(body);
  if (!parsed.success) {
    const serverError = errorMessageIn(body);
    if (serverError) return { ok: false, problem: `an error instead of a completion: ${serverError}` };
    const detail = parsed.error.issues[0];
    return { ok: false, problem: `a body that is not a chat completion (${detail ? `${detail.path.join('.') || 'body'}: ${detail.message}` : 'unreadable'})` };
  }
  const completion = parsed.data;
  // `.min(1)` above guarantees a first choice.
  const message = completion.choices[0]!.message;
  const seed = `${idSeed}:${completion.id ?? ''}`;
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, index) => {
    const name = call.function?.name ?? call.custom?.name ?? '';
    const args = rawArguments(call.function ? call.function.arguments : call.custom?.input);
    return { id: call.id || stableCallId(seed, index, name, args), name, arguments: args };
  });
  const text = visibleText(message.content);
  const usage = completion.usage;
  return {
    ok: true,
    reply: {
      text,
      toolCalls,
      ...(usage && (usage.prompt_tokens != null || usage.completion_tokens != null)
        ? { usage: { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 } }
        : {}),
    },
  };
}

/** Arguments as text, untouched when they are text (the workflow validates them); some servers send an object. */
function rawArguments(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/**
 * Some servers (older Ollama and llama.cpp builds) leave out tool call ids. The id must match between the
 * assistant message and the tool message, and a retried activity should produce the same one, so it is derived
 * from the request and the call rather than drawn at random.
 */
function stableCallId(seed: string, index: number, name: string, args: string): string {
  return `call_${createHash('sha256').update(`${seed}\u0000${index}\u0000${name}\u0000${args}`).digest('hex').slice(0, 24)}`;
}

/**
 * The text a customer may see: content parts joined, and a leading `<think>…</think>` block (reasoning models
 * served through Ollama, vLLM or llama.cpp) removed. Empty text becomes null.
 */
function visibleText(content: string | { text?: string | undefined }[] | null | undefined): string | null {
  if (content == null) return null;
  const joined = typeof content === 'string' ? content : content.map((part) => part.text ?? '').join('');
  const text = joined.replace(/^\s*<think>[\s\S]*?<\/think>/, '').trim();
  return text === '' ? null : text;
}

function errorMessageIn(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return JSON.stringify(error);
}
