//! Curated scenes for a class: each lesson is a link (a scene hash the page loads in place), a
//! short text and a question to ask, in English and 简体中文 (the texts are rows of the one
//! [`Msg`] table). `tests/lessons.rs` runs every scene and checks that it shows what its text
//! claims.

use crate::i18n::Msg;

/// One lesson: its stable id, its scene and its words.
pub struct Lesson {
    pub id: &'static str,
    /// The scene, as a link's hash (without `#`).
    pub hash: &'static str,
    pub title: Msg,
    pub text: Msg,
    /// A question to ask the class.
    pub ask: Msg,
}

/// Declares the lessons: `id, hash, title, text, ask;` per row.
macro_rules! lessons {
    ($($id:literal, $hash:literal, $title:ident, $text:ident, $ask:ident;)+) => {
        /// Every lesson, in teaching order.
        pub const LESSONS: &[Lesson] = &[$(Lesson {
            id: $id,
            hash: $hash,
            title: Msg::$title,
            text: Msg::$text,
            ask: Msg::$ask,
        }),+];
    };
}

lessons! {
    "learning-rate", "surface=quadratic&steps=100&opt=sgd(lr=0.01),sgd(lr=0.1),sgd(lr=0.195),sgd(lr=0.25)",
        LrTitle, LrText, LrAsk;
    "ill-conditioning", "surface=quadratic(kappa=50)&steps=100&opt=sgd(lr=0.039),momentum(lr=0.01)",
        CondTitle, CondText, CondAsk;
    "nesterov", "surface=quadratic(kappa=50)&steps=200&opt=momentum(lr=0.02),nesterov(lr=0.02)",
        NagTitle, NagText, NagAsk;
    "saddle", "surface=saddle&steps=100&opt=sgd(lr=0.01),adam(lr=0.01)",
        SaddleTitle, SaddleText, SaddleAsk;
    "rosenbrock", "surface=rosenbrock&steps=1000&opt=sgd(lr=0.001),momentum(lr=0.001),newton",
        RosenTitle, RosenText, RosenAsk;
    "adagrad-rmsprop", "surface=rosenbrock&steps=1000&vectors=1&opt=adagrad(lr=0.5),rmsprop(lr=0.01)",
        AdaTitle, AdaText, AdaAsk;
    "adam-first-steps", "surface=quadratic&steps=50&opt=adam(lr=0.1),sgd(lr=0.01),adam_nobc(lr=0.1)",
        BiasTitle, BiasText, BiasAsk;
    "himmelblau", "surface=himmelblau&steps=300&opt=sgd(lr=0.01),momentum(lr=0.01)",
        HimmelTitle, HimmelText, HimmelAsk;
    "rastrigin", "surface=rastrigin&start=-2.3,1.8&steps=1000&opt=sgd(lr=0.002),momentum(lr=0.002),momentum(lr=0.005,momentum=0.99)",
        RastTitle, RastText, RastAsk;
    "schedules", "surface=quadratic&steps=300&noise=2&seed=1&sched=step(step_size=100,gamma=0.2)&opt=sgd(lr=0.1)",
        SchedTitle, SchedText, SchedAsk;
    "gradient-noise", "surface=quadratic&steps=300&noise=2&seed=1&opt=sgd(lr=0.1),sgd(lr=0.02)",
        NoiseTitle, NoiseText, NoiseAsk;
    "batch-size", "task=linear&n=50&seed=3&steps=300&opt=sgd(lr=0.1,batch=1),sgd(lr=0.1,batch=10),sgd(lr=0.1,batch=0)",
        BatchTitle, BatchText, BatchAsk;
    "over-fitting", "task=polynomial&degree=12&steps=3000&opt=adam(lr=0.05)",
        OverTitle, OverText, OverAsk;
    "l2", "task=polynomial&degree=12&l2=0.01&steps=3000&opt=adam(lr=0.05)",
        L2Title, L2Text, L2Ask;
    "seed-article-adam", "task=linear&n=100&steps=1000&opt=adam(lr=0.01),momentum(lr=0.01,dampening=0.9)",
        SeedTitle, SeedText, SeedAsk;
}
