#![cfg(not(target_arch = "wasm32"))]
//! The Share dialog's link and iframe snippet reproduce the scene on screen.

use gradscape::engine::scene::{OptimizerEntry, Panel, Scene};
use gradscape::engine::share::{embed_link, iframe_snippet, page_link, DEFAULT_EMBED_SIZE};
use gradscape::engine::surface::SurfaceSpec;
use gradscape::engine::url::decode;

const BASE: &str = "https://example.org/docs/gradscape/";

fn scene() -> Scene {
    Scene {
        surface: SurfaceSpec {
            id: "custom".into(),
            params: vec![],
            expr: Some("x^2 + 3*y^2 + sin(x*y)".into()),
        },
        optimizers: vec![
            OptimizerEntry::new("adam", &[("lr", 0.05)]),
            OptimizerEntry::new("sgd", &[("lr", 0.001)]),
        ],
        steps: 700,
        t: Some(120),
        embed: true,
        hide: vec![Panel::Loss],
        ..Scene::default()
    }
}

/// The scene a link opens, and the part before its hash.
fn open(link: &str) -> (String, Scene) {
    let (base, hash) = link.split_once('#').expect("a link has a hash");
    let decoded = decode("", hash);
    assert_eq!(decoded.notices, Vec::<String>::new(), "{link}");
    (base.to_string(), decoded.scene)
}

#[test]
fn the_page_link_opens_the_whole_tool_on_the_same_scene() {
    let (base, opened) = open(&page_link(BASE, &scene()));
    assert_eq!(base, BASE);
    let expected = Scene {
        embed: false,
        hide: vec![],
        ..scene()
    };
    assert_eq!(opened, expected);
}

#[test]
fn the_embed_link_carries_embed_and_exactly_the_chosen_hides() {
    let hide = [Panel::Controls, Panel::Header];
    let (_, opened) = open(&embed_link(BASE, &scene(), &hide));
    assert!(opened.embed);
    assert_eq!(opened.hide, hide.to_vec());
    assert_eq!(
        Scene {
            embed: false,
            hide: vec![],
            ..opened
        },
        Scene {
            embed: false,
            hide: vec![],
            ..scene()
        }
    );
}

#[test]
fn the_snippet_is_one_iframe_whose_src_is_the_embed_link() {
    let hide = [Panel::Controls];
    let snippet = iframe_snippet(BASE, &scene(), &hide, DEFAULT_EMBED_SIZE);
    assert!(snippet.starts_with("<iframe src=\"") && snippet.ends_with("></iframe>"));
    assert!(
        snippet.contains(" width=\"720\" height=\"560\" "),
        "{snippet}"
    );
    assert!(
        !snippet.contains("style="),
        "a strict CSP blocks style attributes"
    );
    assert!(snippet.contains("title=\"gradscape: adam, sgd on custom\""));
    let src = snippet["<iframe src=\"".len()..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    // Inside the attribute nothing can end it or open a tag, and every & is a reference.
    assert!(!src.contains('<') && !src.contains('>'));
    assert!(
        src.split('&').skip(1).all(|rest| rest.starts_with("amp;")),
        "{src}"
    );
    let unescaped = src.replace("&amp;", "&");
    assert_eq!(unescaped, embed_link(BASE, &scene(), &hide));
}
