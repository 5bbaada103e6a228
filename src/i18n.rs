//! Every visible word of the page in English and 简体中文, as one table.
//!
//! Each [`Msg`] row must give both languages (the table macro does not accept a row with one),
//! and a native test checks that both are non-empty and use the same `{0}`, `{1}`, …
//! placeholders. Pure Rust, so the engine, the drawing code and the UI share it.
//!
//! The page builds its tree in one language at a time: the root stores it with [`set_lang`]
//! and re-mounts when it changes, so components read [`t`] once, untracked, with no closure
//! per string (the state lives in the model, so nothing is lost).

use std::sync::atomic::{AtomicU8, Ordering};

use crate::engine::scene::Lang;

/// Declares [`Msg`] and its text: `Name = "English", "中文";` per row.
macro_rules! messages {
    ($($(#[$meta:meta])* $name:ident = $en:literal, $zh:literal;)+) => {
        /// One visible string of the page.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($(#[$meta])* $name),+ }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),+];
        }

        /// `[English, 中文]` per message, in declaration order.
        const TEXT: &[[&str; 2]] = &[$([$en, $zh]),+];
    };
}

messages! {
    Tagline = "See how optimizers move — PyTorch-exact", "看优化器如何前进——与 PyTorch 逐位一致";
    Language = "Language", "语言";
    ThemeLight = "☀ Light", "☀ 浅色";
    ThemeDark = "☾ Dark", "☾ 深色";
    Dismiss = "dismiss", "关闭";
    Projector = "Projector", "投影模式";
    ReadOut = "🔈 Read out", "🔈 朗读";
    ReadOutTitle = "say the step and every optimizer's loss to a screen reader (key A); Space plays or pauses, → steps, Home resets",
        "让读屏软件读出当前步数和每个优化器的损失（A 键）；空格播放或暂停，→ 前进一步，Home 回到开头";
    /// `{0}` the playhead, `{1}` the steps.
    SayStep = "Step {0} of {1}.", "第 {0} 步，共 {1} 步。";
    /// `{0}` an optimizer, `{1}` its loss.
    SayLoss = "{0}: loss {1}.", "{0}：损失 {1}。";
    /// `{0}` an optimizer, `{1}` the step it diverged at.
    SayDiverged = "{0}: diverged at step {1}.", "{0}：在第 {1} 步发散。";
    SayFailed = "{0}: could not run.", "{0}：无法运行。";
    ProjectorTitle = "large type, thick lines and high contrast, for a classroom projector",
        "大字、粗线、高对比度，适合教室投影";
    /// `{0}`: the reason a task cannot be built.
    TaskError = "task: {0}", "任务：{0}";
    /// A diverged card: `{0}` the step, `{1}` the engine's reason.
    DivergedAt = "diverged at step {0}: {1}", "在第 {0} 步发散：{1}";
    /// `{0}` the step where the loss began to grow, `{1}` λmax there, `{2}` the rate in force.
    WhyGrowth = "From step {0} on, the loss grew at every step. There the Hessian's largest eigenvalue (the steepest curvature) is λmax = {1}, and the learning rate was η = {2}.",
        "从第 {0} 步起，损失每一步都在增大。那里 Hessian（黑塞矩阵）的最大特征值（最陡的曲率）为 λmax = {1}，学习率为 η = {2}。";
    /// `{0}` the optimizer, `{1}` its stability condition, `{2}` the largest stable rate.
    WhyBound = "{0} is stable only while {1}: here η < {2}.", "{0} 只有在 {1} 时才稳定：此处须 η < {2}。";
    /// `{0}` λmin < 0.
    WhyRidge = "The surface also curves downward there (λmin = {0}): the path is pushed off a ridge.",
        "那里曲面还向下弯（λmin = {0}）：路径被推离山脊。";
    /// The one-click fix: `{0}` a rate whose run does not diverge.
    FixLr = "use η = {0}", "改用 η = {0}";
    FixLrTitle = "set this learning rate: the engine ran it and it does not diverge",
        "设为这个学习率：引擎已试跑，不会发散";
}

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    TEXT[msg as usize][lang as usize]
}

/// `msg` in `lang` with `{0}`, `{1}`, … replaced by `args` (a placeholder without an
/// argument stays as written).
pub fn trf(lang: Lang, msg: Msg, args: &[&str]) -> String {
    fill(tr(lang, msg), args)
}

fn fill(text: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let arg = rest[1..]
            .find('}')
            .and_then(|close| Some((close, rest[1..=close].parse::<usize>().ok()?)))
            .and_then(|(close, i)| Some((close, *args.get(i)?)));
        match arg {
            Some((close, a)) => {
                out.push_str(a);
                rest = &rest[close + 2..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The page's language: what [`t`] and [`f`] translate into.
static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the page's language (the root does, before it builds the tree).
pub fn set_lang(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The page's language.
pub fn lang() -> Lang {
    Lang::ALL[CURRENT.load(Ordering::Relaxed) as usize]
}

/// `msg` in the page's language.
pub fn t(msg: Msg) -> &'static str {
    tr(lang(), msg)
}

/// `msg` in the page's language, placeholders filled.
pub fn f(msg: Msg, args: &[&str]) -> String {
    trf(lang(), msg, args)
}

/// The language `navigator.language` asks for: Chinese for `zh*`, else English.
pub fn from_browser(tag: &str) -> Lang {
    if tag.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The `<html lang>` value for `lang`.
pub fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{n}` placeholders of `text`, sorted.
    fn placeholders(text: &str) -> Vec<String> {
        let mut out: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_message_has_both_languages_and_the_same_placeholders() {
        assert_eq!(TEXT.len(), Msg::ALL.len());
        for &m in Msg::ALL {
            let (en, zh) = (tr(Lang::En, m), tr(Lang::Zh, m));
            assert!(
                !en.trim().is_empty() && !zh.trim().is_empty(),
                "{m:?} is empty"
            );
            assert_eq!(placeholders(en), placeholders(zh), "{m:?}: {en} / {zh}");
            for p in placeholders(en) {
                assert!(p.parse::<usize>().is_ok(), "{m:?}: placeholder {{{p}}}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in_any_order() {
        assert_eq!(fill("{1} of {0}", &["a", "b"]), "b of a");
        assert_eq!(fill("{x} {0} {", &["1"]), "{x} 1 {");
        assert_eq!(fill("{2}", &["1"]), "{2}");
        assert_eq!(trf(Lang::Zh, Msg::TaskError, &["坏"]), "任务：坏");
    }

    #[test]
    fn browser_languages() {
        assert_eq!(from_browser("zh-CN"), Lang::Zh);
        assert_eq!(from_browser("zh-Hant-TW"), Lang::Zh);
        assert_eq!(from_browser("en-GB"), Lang::En);
        assert_eq!(from_browser("fr"), Lang::En);
        assert_eq!(html_lang(Lang::Zh), "zh-CN");
    }
}
