// Monaco completion for strategies: Lua keywords, ctx./bar./ta./trade./params. members with
// signatures, the @context fields and @params of the open script, and indicator outputs.

import { INDICATORS, TA_FUNCTIONS, CTX_FIELDS, BAR_FIELDS, TRADE_FUNCTIONS, LUA_KEYWORDS, GLOBALS } from './lua-api.js';
import { parseHeader } from './metadata.js';

export function registerLuaCompletion(monaco) {
  const K = monaco.languages.CompletionItemKind;
  const snippet = monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet;

  return monaco.languages.registerCompletionItemProvider('lua', {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const line = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const member = /([A-Za-z_][\w]*)\s*\.\s*\w*$/.exec(line);
      const item = (label, kind, insertText, detail, documentation, isSnippet) => ({
        label, kind, insertText, detail, documentation, range, insertTextRules: isSnippet ? snippet : undefined,
      });
      const code = model.getValue();

      if (member) {
        const obj = member[1];
        const meta = parseHeader(code);
        if (obj === 'ctx' || obj === 'c') {
          return { suggestions: CTX_FIELDS.map(([f, d]) => item(f, K.Field, f, `ctx.${f}`, d)) };
        }
        if (obj === 'bar' || obj === 'b') {
          const ctxFields = meta.context.map((f) => item(f, K.Field, f, `bar.${f} (@context)`, 'a column of the dataset declared in @context'));
          return { suggestions: BAR_FIELDS.map(([f, d]) => item(f, K.Field, f, `bar.${f}`, d)).concat(ctxFields) };
        }
        if (obj === 'ta') {
          return {
            suggestions: INDICATORS.map((ind) => item(ind.name, K.Function, `${ind.name}($0)`, `ta.${ind.name}(${ind.params})`,
              ind.doc + (ind.outputs ? ` Outputs: ${ind.outputs.map((o) => `.${o}`).join(' ')}.` : ' Read .value (nil during warm-up) or [n] for n bars ago.'), true))
              .concat(TA_FUNCTIONS.map((f) => item(f.name, K.Function, `${f.name}($0)`, `ta.${f.name}(${f.params})`, f.doc, true))),
          };
        }
        if (obj === 'trade') {
          return { suggestions: TRADE_FUNCTIONS.map((f) => item(f.name, K.Function, f.params ? `${f.name}{$0}` : `${f.name}()`, `trade.${f.name}${f.params ? f.params : '()'}`, f.doc, true)) };
        }
        if (obj === 'params') {
          return { suggestions: meta.params.map((p) => item(p.name, K.Variable, p.name, `params.${p.name} = ${p.defaultValue}${p.minimum !== '' ? ` [${p.minimum}, ${p.maximum}]` : ''}`, p.summary || '@param')) };
        }
        if (obj === 'position') {
          return { suggestions: ['side', 'quantity', 'entry_price', 'unrealized_pnl', 'bars_held'].map((f) => item(f, K.Field, f, `position.${f}`, '')) };
        }
        // Indicator objects assigned from ta.NAME(...): their outputs and .value.
        const assigned = new RegExp(`\\b${obj}\\s*=\\s*ta\\.(\\w+)\\s*\\(`).exec(code);
        if (assigned) {
          const ind = INDICATORS.find((i) => i.name === assigned[1]);
          const outs = ind && ind.outputs ? ind.outputs : ['value'];
          return { suggestions: outs.map((o) => item(o, K.Field, o, `${obj}.${o}`, ind && ind.outputs ? `${ind.name} output (an indicator: .value, [n])` : 'this bar\'s value; nil during warm-up')) };
        }
        return { suggestions: [] };
      }

      const suggestions = LUA_KEYWORDS.map((k) => item(k, K.Keyword, k, 'keyword', ''));
      for (const [name, text, doc] of GLOBALS) suggestions.push(item(name, K.Snippet, text, name, doc, true));
      for (const name of ['ctx', 'bar', 'ta', 'trade', 'params']) suggestions.push(item(name, K.Module, name, 'strategy API', ''));
      return { suggestions };
    },
  });
}
