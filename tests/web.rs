//! Component tests in headless Chromium (wasm-bindgen-test): the app mounts into a fresh
//! element and renders its controls from the engine's catalogues.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use gradscape::engine::scene::Scene;
use gradscape::engine::surface;
use gradscape::ui::model::Model;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Leptos run its effects (they are scheduled, not synchronous).
async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("a window");
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

#[wasm_bindgen_test]
async fn app_mounts_into_a_fresh_element() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = gradscape::ui::mount(host.clone());
    next_tick().await;

    let options = host
        .query_selector_all("[data-testid=surface-select] option")
        .unwrap();
    assert_eq!(options.length() as usize, surface::CATALOG.len());
    let card = host
        .query_selector("[data-testid=optimizer-card]")
        .unwrap()
        .expect("an optimizer card");
    let step: usize = card.get_attribute("data-step").unwrap().parse().unwrap();
    assert!(step > 0, "the path should have moved");
    let x: f64 = card.get_attribute("data-x").unwrap().parse().unwrap();
    assert!(x.is_finite());
    let canvas: web_sys::HtmlCanvasElement = host
        .query_selector("canvas.base")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(canvas.width() > 0);
    drop(handle);
}

/// The trajectory `Arc`s of every card, in card order.
fn trajectories(model: Model) -> Vec<Arc<gradscape::engine::run::Trajectory>> {
    model
        .racers
        .get_untracked()
        .iter()
        .map(|r| r.outcome.get_untracked().expect("a trajectory"))
        .collect()
}

/// The surface view's layer cache re-strokes only paths whose `Arc` changed: an lr input on one
/// card must leave every other card's trajectory the same object, and moving the playhead (the
/// scene's `t`) must recompute none.
#[wasm_bindgen_test]
fn one_card_input_recomputes_only_that_card() {
    console_error_panic_hook::set_once();
    let owner = Owner::new();
    owner.with(|| {
        let model = Model::new(Scene::default(), Vec::new());
        let before = trajectories(model);
        assert_eq!(before.len(), 3);

        model.set_t(17);
        assert_eq!(model.t.get_untracked(), 17);
        let played = trajectories(model);
        for (a, b) in before.iter().zip(&played) {
            assert!(Arc::ptr_eq(a, b), "a playhead move recomputed a trajectory");
        }

        let first = model.racers.get_untracked()[0];
        let mut settings = first.settings.get_untracked();
        settings.iter_mut().find(|(k, _)| k == "lr").unwrap().1 = 0.002;
        model.set_settings(first.uid, &settings).unwrap();
        let after = trajectories(model);
        assert!(
            !Arc::ptr_eq(&before[0], &after[0]),
            "the edited card keeps its old path"
        );
        assert!(Arc::ptr_eq(&before[1], &after[1]));
        assert!(Arc::ptr_eq(&before[2], &after[2]));
        let link = model.scene.with_untracked(gradscape::engine::url::encode);
        assert!(
            link.ends_with("&opt=sgd(lr=0.002),momentum,adam(lr=0.05)&t=17"),
            "{link}"
        );

        // Removing a card shifts the others' indices but not their paths.
        model.remove(first.uid);
        let left = trajectories(model);
        assert!(Arc::ptr_eq(&before[1], &left[0]));
        assert!(Arc::ptr_eq(&before[2], &left[1]));
    });
}

/// The model's parts and each card's entry follow every write of the scene (they are set by
/// the write, not computed from it): after a card is removed the others keep their own
/// entries, an added card gets its own, and a loaded scene replaces them all.
#[wasm_bindgen_test]
fn parts_and_cards_follow_every_write() {
    console_error_panic_hook::set_once();
    let lr = |r: &gradscape::ui::model::Racer| {
        r.settings
            .with_untracked(|s| s.iter().find(|(k, _)| k == "lr").map(|(_, v)| *v))
    };
    let owner = Owner::new();
    owner.with(|| {
        let model = Model::new(Scene::default(), Vec::new());
        model.set_steps(50);
        assert_eq!(model.steps.get_untracked(), 50);
        model.set_t(20);
        assert_eq!(model.t.get_untracked(), 20);
        model.set_steps(10);
        assert_eq!(model.t.get_untracked(), 10, "the playhead follows steps");

        let cards = model.racers.get_untracked();
        let adam_lr = lr(&cards[2]);
        model.remove(cards[0].uid);
        model.set_hidden(cards[2].uid, true);
        assert!(cards[2].hidden.get_untracked());
        assert!(!cards[1].hidden.get_untracked());
        model
            .set_settings(cards[1].uid, &[("lr".to_string(), 0.003)])
            .unwrap();
        assert_eq!(lr(&cards[1]), Some(0.003));
        assert_eq!(lr(&cards[2]), adam_lr, "another card's edit reached Adam");

        let entry = gradscape::engine::scene::OptimizerEntry {
            id: "rmsprop".to_string(),
            settings: vec![("lr".to_string(), 0.02)],
            hidden: false,
            batch: None,
        };
        model.add(&entry);
        let added = *model.racers.get_untracked().last().unwrap();
        assert_eq!(lr(&added), Some(0.02));
        model
            .set_settings(added.uid, &[("lr".to_string(), 0.04)])
            .unwrap();
        assert_eq!(lr(&added), Some(0.04));
        assert_eq!(lr(&cards[1]), Some(0.003));

        let loaded =
            gradscape::engine::url::decode("", "#surface=himmelblau&steps=30&opt=adam(lr=0.2)");
        model.load(loaded.scene, loaded.notices);
        assert_eq!(model.steps.get_untracked(), 30);
        assert_eq!(model.spec.get_untracked().id, "himmelblau");
        let now = model.racers.get_untracked();
        assert_eq!(now.len(), 1);
        assert_eq!(lr(&now[0]), Some(0.2));
        assert!(!now[0].hidden.get_untracked());
    });
}

/// A part behind `slot::when` is built when its condition turns true and disposed when it
/// turns false: its effects stop, even a nested slot's (which holds its owner), and showing it
/// again builds it afresh.
#[wasm_bindgen_test]
async fn a_slot_mounts_and_disposes_its_part() {
    use gradscape::ui::slot::when;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUNS: AtomicUsize = AtomicUsize::new(0);

    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let on = RwSignal::new(false);
    let tick = RwSignal::new(0);
    let part = move || {
        Effect::new(move |_| {
            tick.get();
            RUNS.fetch_add(1, Ordering::Relaxed);
        });
        view! { <p class="part">"shown"</p> {when(move || true, || view! { <i class="inner">"in"</i> })} }
    };
    let handle = leptos::mount::mount_to(host.clone(), move || when(move || on.get(), part));
    let count = |sel: &str| host.query_selector_all(sel).unwrap().length();
    next_tick().await;
    assert_eq!((count(".part"), RUNS.load(Ordering::Relaxed)), (0, 0));

    on.set(true);
    next_tick().await;
    assert_eq!((count(".part"), count(".inner")), (1, 1));
    tick.set(1);
    next_tick().await;
    let runs = RUNS.load(Ordering::Relaxed);
    assert_eq!(runs, 2, "the part's effect follows its signal");

    on.set(false);
    next_tick().await;
    assert_eq!((count(".part"), count(".inner")), (0, 0));
    tick.set(2);
    next_tick().await;
    assert_eq!(
        RUNS.load(Ordering::Relaxed),
        runs,
        "a hidden part's effect still ran"
    );

    on.set(true);
    next_tick().await;
    assert_eq!((count(".part"), count(".inner")), (1, 1));
    assert_eq!(
        RUNS.load(Ordering::Relaxed),
        runs + 1,
        "shown again: built afresh"
    );
    drop(handle);
}
