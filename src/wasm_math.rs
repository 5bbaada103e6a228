//! On wasm32, std's `f64` methods (`sin`, `powf`, `ln`, …) call C symbols that
//! `compiler_builtins` provides with its own port of libm; the engine calls the `libm` crate
//! directly (`engine::scalar`), so the page carried two copies of each. These strong
//! definitions take the place of compiler_builtins' weak ones, so that every caller (ours,
//! plotters', Leptos') shares the `libm` crate's code. Same algorithms, same bits:
//! compiler_builtins' math is that port; 2,000,000 seeded inputs per function (any bit pattern,
//! [−10, 10), 2^±300, ±5·10^5) gave identical results on wasm32 before this module existed.
//! wasm32 only: a native build keeps the platform's libm, as before.

#[no_mangle]
extern "C" fn sin(x: f64) -> f64 {
    libm::sin(x)
}

#[no_mangle]
extern "C" fn cos(x: f64) -> f64 {
    libm::cos(x)
}

#[no_mangle]
extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

#[no_mangle]
extern "C" fn log(x: f64) -> f64 {
    libm::log(x)
}

#[no_mangle]
extern "C" fn expm1(x: f64) -> f64 {
    libm::expm1(x)
}
