//! Recursive-descent parser from tokens to [`Expr`].
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! expr       = or
//! or         = and ("or" and)*
//! and        = not ("and" not)*
//! not        = "not" not | comparison
//! comparison = sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
//! sum        = product (("+" | "-") product)*
//! product    = unary (("*" | "/") unary)*
//! unary      = "-" unary | primary
//! primary    = number | "(" expr ")" | name "(" expr ("," expr)* ")" | name matchers?
//! matchers   = "{" (matcher ("," matcher)* ","?)? "}"
//! matcher    = name ("=" | "!=" | "=~" | "!~") string
//! ```

use super::ast::{BinaryOp, Call, Expr, ExprKind, Function, MatchOp, Matcher, Metric, Selector, Span, UnaryOp};
use super::error::RuleError;
use super::lexer::{Token, TokenKind};
use crate::config::suggest;

/// Nesting deeper than this is rejected, so a hostile expression cannot overflow the stack.
const MAX_DEPTH: usize = 64;

/// Parses a whole expression.
pub(crate) fn parse_expr(tokens: &[Token]) -> Result<Expr, RuleError> {
    let mut parser = Parser { tokens, position: 0, depth: 0 };
    let expr = parser.or()?;
    parser.expect_end()?;
    Ok(expr)
}

/// Parses one label matcher, alone: `severity="critical"`.
pub(crate) fn parse_matcher(tokens: &[Token]) -> Result<Matcher, RuleError> {
    let mut parser = Parser { tokens, position: 0, depth: 0 };
    let matcher = parser.matcher()?;
    parser.expect_end()?;
    Ok(matcher)
}

struct Parser<'a> {
    tokens: &'a [Token],
    position: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.position.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != TokenKind::End {
            self.position += 1;
        }
        token
    }

    fn eat(&mut self, kind: &TokenKind) -> Option<Token> {
        (self.peek().kind == *kind).then(|| self.advance())
    }

    fn expect(&mut self, kind: &TokenKind, what: &str) -> Result<Token, RuleError> {
        self.eat(kind).ok_or_else(|| self.unexpected(what))
    }

    fn expect_end(&mut self) -> Result<(), RuleError> {
        match self.peek().kind {
            TokenKind::End => Ok(()),
            TokenKind::RightParen => {
                Err(RuleError::new(self.peek().span, "unmatched `)`; remove it or add a `(` before"))
            }
            _ => Err(self.unexpected("an operator (and, or, >, +, ...) or the end of the expression")),
        }
    }

    fn unexpected(&self, expected: &str) -> RuleError {
        let token = self.peek();
        let found = describe(&token.kind);
        RuleError::new(token.span, format!("expected {expected}, found {found}"))
    }

    fn enter(&mut self) -> Result<(), RuleError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(RuleError::new(
                self.peek().span,
                format!("expression nested more than {MAX_DEPTH} levels deep; split it into simpler rules"),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, RuleError> {
        self.enter()?;
        let mut left = self.and()?;
        while self.eat(&TokenKind::Or).is_some() {
            let right = self.and()?;
            left = binary(BinaryOp::Or, left, right);
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, RuleError> {
        let mut left = self.not()?;
        while self.eat(&TokenKind::And).is_some() {
            let right = self.not()?;
            left = binary(BinaryOp::And, left, right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, RuleError> {
        if let Some(token) = self.eat(&TokenKind::Not) {
            self.enter()?;
            let operand = self.not()?;
            self.depth -= 1;
            let span = token.span.to(operand.span);
            return Ok(Expr { kind: ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(operand) }, span });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, RuleError> {
        let left = self.sum()?;
        let Some(op) = comparison_op(&self.peek().kind) else {
            return Ok(left);
        };
        self.advance();
        let right = self.sum()?;

        if let Some(next) = comparison_op(&self.peek().kind) {
            return Err(RuleError::new(
                self.peek().span,
                format!(
                    "comparisons do not chain: `a {} b {} c` is ambiguous; join two comparisons with `and`",
                    op.symbol(),
                    next.symbol()
                ),
            ));
        }
        Ok(binary(op, left, right))
    }

    fn sum(&mut self) -> Result<Expr, RuleError> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek().kind {
                TokenKind::Plus => BinaryOp::Add,
                TokenKind::Minus => BinaryOp::Subtract,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.product()?;
            left = binary(op, left, right);
        }
    }

    fn product(&mut self) -> Result<Expr, RuleError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek().kind {
                TokenKind::Star => BinaryOp::Multiply,
                TokenKind::Slash => BinaryOp::Divide,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.unary()?;
            left = binary(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Expr, RuleError> {
        if let Some(token) = self.eat(&TokenKind::Minus) {
            self.enter()?;
            let operand = self.unary()?;
            self.depth -= 1;
            let span = token.span.to(operand.span);
            return Ok(Expr { kind: ExprKind::Unary { op: UnaryOp::Negate, operand: Box::new(operand) }, span });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, RuleError> {
        let token = self.advance();
        match token.kind {
            TokenKind::Number(quantity) => Ok(Expr { kind: ExprKind::Number(quantity), span: token.span }),
            TokenKind::LeftParen => {
                let mut inner = self.or()?;
                let close = self
                    .eat(&TokenKind::RightParen)
                    .ok_or_else(|| RuleError::new(token.span, "`(` is not closed; add the matching `)`".to_owned()))?;
                inner.span = token.span.to(close.span);
                Ok(inner)
            }
            TokenKind::Ident(name) => {
                if self.peek().kind == TokenKind::LeftParen {
                    self.call(name, token.span)
                } else {
                    self.selector(name, token.span)
                }
            }
            _ => {
                self.position -= usize::from(token.kind != TokenKind::End);
                Err(self.unexpected("a number, a metric, a function call or `(`"))
            }
        }
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, RuleError> {
        let Some(function) = Function::from_name(&name) else {
            let hint = suggest::did_you_mean(&name, Function::names());
            let metric_hint =
                if Metric::from_name(&name).is_some() { "; a metric takes {labels}, not (arguments)" } else { "" };
            return Err(RuleError::new(name_span, format!("unknown function `{name}`{hint}{metric_hint}")));
        };

        let open = self.advance();
        let mut args = Vec::new();
        if self.peek().kind != TokenKind::RightParen {
            loop {
                args.push(self.or()?);
                if self.eat(&TokenKind::Comma).is_none() {
                    break;
                }
            }
        }
        let close = self.eat(&TokenKind::RightParen).ok_or_else(|| {
            if self.peek().kind == TokenKind::End {
                RuleError::new(open.span, format!("`(` of `{name}(` is not closed; add the matching `)`"))
            } else {
                self.unexpected("`,` or `)`")
            }
        })?;

        let span = name_span.to(close.span);
        Ok(Expr { kind: ExprKind::Call(Call { function, name_span, args }), span })
    }

    fn selector(&mut self, name: String, metric_span: Span) -> Result<Expr, RuleError> {
        let Some(metric) = Metric::from_name(&name) else {
            let hint = suggest::did_you_mean(&name, Metric::names().chain(Function::names()));
            return Err(RuleError::new(
                metric_span,
                format!("unknown metric `{name}`{hint}; name metrics of counter!/gauge! as metric{{name=\"{name}\"}}"),
            ));
        };

        let mut matchers = Vec::new();
        let mut span = metric_span;
        if self.eat(&TokenKind::LeftBrace).is_some() {
            while self.peek().kind != TokenKind::RightBrace {
                matchers.push(self.matcher()?);
                if self.eat(&TokenKind::Comma).is_none() {
                    break;
                }
            }
            let close = self.expect(&TokenKind::RightBrace, "`,` or `}` after a label matcher")?;
            span = metric_span.to(close.span);
        }
        Ok(Expr { kind: ExprKind::Selector(Selector { metric, metric_span, matchers }), span })
    }

    fn matcher(&mut self) -> Result<Matcher, RuleError> {
        let label = self.advance();
        let TokenKind::Ident(label_name) = label.kind else {
            self.position -= usize::from(label.kind != TokenKind::End);
            return Err(self.unexpected("a label name"));
        };

        let op = match self.peek().kind {
            TokenKind::Assign => MatchOp::Equal,
            TokenKind::NotEqual => MatchOp::NotEqual,
            TokenKind::RegexMatch => MatchOp::Regex,
            TokenKind::RegexNoMatch => MatchOp::NotRegex,
            TokenKind::Equal => {
                return Err(RuleError::new(self.peek().span, "label matchers use a single `=`, not `==`"));
            }
            _ => return Err(self.unexpected("`=`, `!=`, `=~` or `!~` after the label name")),
        };
        self.advance();

        let value = self.advance();
        let TokenKind::String(text) = value.kind else {
            self.position -= usize::from(value.kind != TokenKind::End);
            return Err(self.unexpected("a quoted label value"));
        };
        if matches!(op, MatchOp::Regex | MatchOp::NotRegex) {
            if let Err(error) = regex_lite::Regex::new(&format!("^(?:{text})$")) {
                return Err(RuleError::new(value.span, format!("invalid regular expression {text:?}: {error}")));
            }
        }

        Ok(Matcher { label: label_name, op, value: text, span: label.span.to(value.span) })
    }
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    let span = left.span.to(right.span);
    Expr { kind: ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) }, span }
}

fn comparison_op(kind: &TokenKind) -> Option<BinaryOp> {
    Some(match kind {
        TokenKind::Greater => BinaryOp::Greater,
        TokenKind::GreaterOrEqual => BinaryOp::GreaterOrEqual,
        TokenKind::Less => BinaryOp::Less,
        TokenKind::LessOrEqual => BinaryOp::LessOrEqual,
        TokenKind::Equal => BinaryOp::Equal,
        TokenKind::NotEqual => BinaryOp::NotEqual,
        _ => return None,
    })
}

fn describe(kind: &TokenKind) -> String {
    match kind {
        TokenKind::Ident(name) => format!("`{name}`"),
        TokenKind::Number(_) => "a number".to_owned(),
        TokenKind::String(text) => format!("the string {text:?}"),
        TokenKind::End => "the end of the expression".to_owned(),
        TokenKind::And => "`and`".to_owned(),
        TokenKind::Or => "`or`".to_owned(),
        TokenKind::Not => "`not`".to_owned(),
        TokenKind::LeftParen => "`(`".to_owned(),
        TokenKind::RightParen => "`)`".to_owned(),
        TokenKind::LeftBrace => "`{`".to_owned(),
        TokenKind::RightBrace => "`}`".to_owned(),
        TokenKind::Comma => "`,`".to_owned(),
        TokenKind::Assign => "`=`".to_owned(),
        TokenKind::Equal => "`==`".to_owned(),
        TokenKind::NotEqual => "`!=`".to_owned(),
        TokenKind::RegexMatch => "`=~`".to_owned(),
        TokenKind::RegexNoMatch => "`!~`".to_owned(),
        TokenKind::Greater => "`>`".to_owned(),
        TokenKind::GreaterOrEqual => "`>=`".to_owned(),
        TokenKind::Less => "`<`".to_owned(),
        TokenKind::LessOrEqual => "`<=`".to_owned(),
        TokenKind::Plus => "`+`".to_owned(),
        TokenKind::Minus => "`-`".to_owned(),
        TokenKind::Star => "`*`".to_owned(),
        TokenKind::Slash => "`/`".to_owned(),
    }
}
