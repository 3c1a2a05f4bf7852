import { Lexer, type Token, type Tokens } from 'marked';

/**
 * Markdown → the plain text Messenger and Zalo display: lists become "• " lines, links "text: url", emphasis and
 * headings lose their marks, HTML is dropped. Paragraphs are separated by one blank line.
 */
export function renderChatText(markdown: string): string {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  return blocks(tokens, 0).join('\n\n').replace(/\n{3,}/g, '\n\n').trim();
}

function blocks(tokens: readonly Token[], depth: number): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const text = block(token, depth);
    if (text !== null && text.trim() !== '') out.push(text);
  }
  return out;
}

function block(token: Token, depth: number): string | null {
  switch (token.type) {
    case 'space':
    case 'hr':
    case 'def':
      return null;
    case 'heading':
    case 'paragraph':
      return inline((token as Tokens.Heading | Tokens.Paragraph).tokens);
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens) : decode(t.text);
    }
    case 'list':
      return list(token as Tokens.List, depth);
    case 'blockquote':
      return blocks((token as Tokens.Blockquote).tokens, depth).join('\n');
    case 'code':
      return (token as Tokens.Code).text;
    case 'table': {
      const t = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inline(c.tokens)).join(' – ');
      return [row(t.header), ...t.rows.map(row)].join('\n');
    }
    case 'html':
      return stripTags((token as Tokens.HTML).text);
    default:
      return 'tokens' in token && Array.isArray(token.tokens) ? inline(token.tokens as Token[]) : null;
  }
}

function list(token: Tokens.List, depth: number): string {
  const indent = '  '.repeat(depth);
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, i) => {
      const bullet = token.ordered ? `${start + i}. ` : '• ';
      const [first = '', ...rest] = blocks(item.tokens, depth + 1);
      return [`${indent}${bullet}${first}`, ...rest].join('\n');
    })
    .join('\n');
}

function inline(tokens: readonly Token[]): string {
  return tokens.map(inlineToken).join('');
}

function inlineToken(token: Token): string {
  switch (token.type) {
    case 'link': {
      const t = token as Tokens.Link;
      const text = inline(t.tokens).trim();
      return text === '' || text === t.href || text === t.href.replace(/^https?:\/\//, '') ? t.href : `${text}: ${t.href}`;
    }
    case 'image': {
      const t = token as Tokens.Image;
      return t.text ? `${t.text}: ${t.href}` : t.href;
    }
    case 'br':
      return '\n';
    case 'codespan':
      return decode((token as Tokens.Codespan).text);
    case 'html':
      return stripTags((token as Tokens.HTML).text);
    case 'escape':
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens) : decode(t.text);
    }
    default:
      return 'tokens' in token && Array.isArray(token.tokens) ? inline(token.tokens as Token[]) : decode(token.raw);
  }
}

function stripTags(html: string): string {
  return decode(html.replace(/<[^>]*>/g, ''));
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? _);
}
