//! Splits a rule expression into tokens, each with its byte range.

use super::ast::Span;
use super::error::RuleError;
use crate::config::units::{self, Quantity};

/// One token of an expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    Ident(String),
    Number(Quantity),
    String(String),
    And,
    Or,
    Not,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    Comma,
    /// `=`, only valid in label matchers.
    Assign,
    Equal,
    NotEqual,
    RegexMatch,
    RegexNoMatch,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Plus,
    Minus,
    Star,
    Slash,
    End,
}

/// Splits `text` into tokens, ending with [`TokenKind::End`].
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, RuleError> {
    let mut lexer = Lexer { text, position: 0, tokens: Vec::new() };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    text: &'a str,
    position: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) -> Result<(), RuleError> {
        while let Some(c) = self.peek() {
            let start = self.position;
            if c.is_whitespace() {
                self.position += c.len_utf8();
            } else if c.is_ascii_digit() || (c == '.' && self.peek_at(1).is_some_and(|c| c.is_ascii_digit())) {
                self.number(start)?;
            } else if c.is_ascii_alphabetic() || c == '_' {
                self.word(start);
            } else if c == '"' || c == '\'' {
                self.string(start, c)?;
            } else {
                self.operator(start, c)?;
            }
        }
        let end = self.text.len();
        self.tokens.push(Token { kind: TokenKind::End, span: Span { start: end, end } });
        Ok(())
    }

    fn peek(&self) -> Option<char> {
        self.text[self.position..].chars().next()
    }

    fn peek_at(&self, skip: usize) -> Option<char> {
        self.text[self.position..].chars().nth(skip)
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token { kind, span: Span { start, end: self.position } });
    }

    /// Reads a number and the unit written right after it: `250ms`, `99.9%`, `10/s`, `64MiB`, `.5s`.
    fn number(&mut self, start: usize) -> Result<(), RuleError> {
        let rest = &self.text[start..];
        let number_length = match rest.strip_prefix('.') {
            Some(fraction) => units::number_length(fraction) + 1,
            None => units::number_length(rest),
        };
        let unit_start = start + number_length;
        let after = &self.text[unit_start..];
        let unit_length = if after.starts_with('%') {
            1
        } else if let Some(per) = after.strip_prefix('/') {
            let letters: usize = per.chars().take_while(|c| c.is_alphabetic()).map(char::len_utf8).sum();
            let is_rate = letters > 0 && units::parse_unit(&after[..1 + letters]).is_some();
            if is_rate {
                1 + letters
            } else {
                0
            }
        } else {
            after.chars().take_while(|c| c.is_alphanumeric() || *c == 'µ').map(char::len_utf8).sum()
        };
        self.position = unit_start + unit_length;

        let number_text = &self.text[start..unit_start];
        let unit_text = &self.text[unit_start..self.position];
        let unit = units::parse_unit(unit_text).ok_or_else(|| {
            RuleError::new(
                Span { start: unit_start, end: self.position },
                format!("unknown unit `{unit_text}` in `{number_text}{unit_text}`; expected {}", units::UNIT_HELP),
            )
        })?;
        let number: f64 = number_text.parse().map_err(|_| {
            RuleError::new(Span { start, end: unit_start }, format!("`{number_text}` is not a valid number"))
        })?;
        if !number.is_finite() {
            return Err(RuleError::new(Span { start, end: unit_start }, format!("`{number_text}` is too large")));
        }

        self.push(TokenKind::Number(Quantity { number, unit }), start);
        Ok(())
    }

    fn word(&mut self, start: usize) {
        let length: usize =
            self.text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').map(char::len_utf8).sum();
        self.position = start + length;
        let word = &self.text[start..self.position];
        let kind = match word {
            "and" => TokenKind::And,
            "or" => TokenKind::Or,
            "not" => TokenKind::Not,
            _ => TokenKind::Ident(word.to_owned()),
        };
        self.push(kind, start);
    }

    fn string(&mut self, start: usize, quote: char) -> Result<(), RuleError> {
        self.position += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(RuleError::new(
                    Span { start, end: self.text.len() },
                    format!("string starting here is not closed; add the closing {quote}"),
                ));
            };
            self.position += c.len_utf8();
            if c == quote {
                break;
            }
            if c != '\\' {
                value.push(c);
                continue;
            }

            let escape_start = self.position - 1;
            let escaped = self.peek();
            let replacement = match escaped {
                Some('\\') => '\\',
                Some('"') => '"',
                Some('\'') => '\'',
                Some('n') => '\n',
                Some('t') => '\t',
                _ => {
                    let shown: String = escaped.map(|c| format!("\\{c}")).unwrap_or_else(|| "\\".to_owned());
                    return Err(RuleError::new(
                        Span { start: escape_start, end: (escape_start + shown.len()).min(self.text.len()) },
                        format!("unknown escape `{shown}` in string; use \\\\, \\\", \\', \\n or \\t"),
                    ));
                }
            };
            // Every accepted escape is one ASCII character after the backslash.
            self.position += 1;
            value.push(replacement);
        }
        self.push(TokenKind::String(value), start);
        Ok(())
    }

    fn operator(&mut self, start: usize, c: char) -> Result<(), RuleError> {
        let next = self.peek_at(1);
        let (kind, length) = match (c, next) {
            ('(', _) => (TokenKind::LeftParen, 1),
            (')', _) => (TokenKind::RightParen, 1),
            ('{', _) => (TokenKind::LeftBrace, 1),
            ('}', _) => (TokenKind::RightBrace, 1),
            (',', _) => (TokenKind::Comma, 1),
            ('=', Some('=')) => (TokenKind::Equal, 2),
            ('=', Some('~')) => (TokenKind::RegexMatch, 2),
            ('=', _) => (TokenKind::Assign, 1),
            ('!', Some('=')) => (TokenKind::NotEqual, 2),
            ('!', Some('~')) => (TokenKind::RegexNoMatch, 2),
            ('>', Some('=')) => (TokenKind::GreaterOrEqual, 2),
            ('>', _) => (TokenKind::Greater, 1),
            ('<', Some('=')) => (TokenKind::LessOrEqual, 2),
            ('<', _) => (TokenKind::Less, 1),
            ('+', _) => (TokenKind::Plus, 1),
            ('-', _) => (TokenKind::Minus, 1),
            ('*', _) => (TokenKind::Star, 1),
            ('/', _) => (TokenKind::Slash, 1),
            ('&', Some('&')) | ('|', Some('|')) | ('!', _) => {
                let word = match c {
                    '&' => "and",
                    '|' => "or",
                    _ => "not",
                };
                let length = if c == '!' { 1 } else { 2 };
                return Err(RuleError::new(
                    Span { start, end: start + length },
                    format!("unexpected `{}`; write `{word}`", &self.text[start..start + length]),
                ));
            }
            _ => {
                return Err(RuleError::new(
                    Span { start, end: start + c.len_utf8() },
                    format!("unexpected character `{c}`"),
                ));
            }
        };
        self.position = start + length;
        self.push(kind, start);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::units::Unit;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text).unwrap().into_iter().map(|token| token.kind).collect()
    }

    #[test]
    fn tokenize_duration_literal() {
        let kinds = kinds("250ms");
        assert_eq!(kinds[0], TokenKind::Number(Quantity { number: 250.0, unit: Unit::Duration(1_000_000) }));
    }

    #[test]
    fn tokenize_rate_literal() {
        let kinds = kinds("10/s");
        assert_eq!(kinds[0], TokenKind::Number(Quantity { number: 10.0, unit: Unit::Per(1) }));
    }

    #[test]
    fn tokenize_division_is_not_rate() {
        assert_eq!(kinds("10/x")[1], TokenKind::Slash);
    }

    #[test]
    fn tokenize_leading_dot_number() {
        let kinds = kinds(".5s");
        assert_eq!(kinds[0], TokenKind::Number(Quantity { number: 0.5, unit: Unit::Duration(1_000_000_000) }));
    }

    #[test]
    fn tokenize_operators() {
        assert_eq!(
            kinds(">= =~ !="),
            vec![TokenKind::GreaterOrEqual, TokenKind::RegexMatch, TokenKind::NotEqual, TokenKind::End]
        );
    }

    #[test]
    fn tokenize_string_escape() {
        assert_eq!(kinds(r#""a\"b""#)[0], TokenKind::String("a\"b".into()));
    }

    #[test]
    fn tokenize_unknown_unit_span() {
        let error = tokenize("p99(latency) > 250xs").unwrap_err();
        assert_eq!(error.span, Span { start: 18, end: 20 });
    }

    #[test]
    fn tokenize_unclosed_string_span() {
        let error = tokenize("calls{site=\"a}").unwrap_err();
        assert_eq!(error.span.start, 11);
    }

    #[test]
    fn tokenize_double_ampersand_suggests_and() {
        let error = tokenize("a && b").unwrap_err();
        assert!(error.message.contains("`and`"), "{}", error.message);
    }
}
