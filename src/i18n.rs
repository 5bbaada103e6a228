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
        /// One visible string of the page. (`Debug` only natively: the names of every row
        /// would cost the page kilobytes.)
        #[derive(Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(not(target_arch = "wasm32"), derive(Debug))]
        pub enum Msg { $($(#[$meta])* $name),+ }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),+];
        }

        /// Every message's text in one string per language (English, 中文), each ended by a
        /// NUL, in declaration order: one string and a table of 16-bit starts cost the page
        /// less than a pointer and a length per message.
        const PACKED: [&str; 2] = [concat!($($en, "\0"),+), concat!($($zh, "\0"),+)];
    };
}

const COUNT: usize = Msg::ALL.len();

/// Where each message starts in [`PACKED`], per language, then the end.
const STARTS: [[u16; COUNT + 1]; 2] = [starts(PACKED[0]), starts(PACKED[1])];

const _: () = assert!(PACKED[0].len() < 1 << 16 && PACKED[1].len() < 1 << 16);

/// The start of every NUL-ended text in `packed`, and the end of the last.
const fn starts<const N: usize>(packed: &str) -> [u16; N] {
    let bytes = packed.as_bytes();
    let mut out = [0u16; N];
    let (mut i, mut k) = (0, 1);
    while i < bytes.len() {
        if bytes[i] == 0 {
            assert!(k < N, "a message contains a NUL");
            out[k] = (i + 1) as u16;
            k += 1;
        }
        i += 1;
    }
    assert!(k == N, "a message contains a NUL");
    out
}

messages! {
    // The page and its header.
    PageTitle = "gradscape — see how optimizers move", "gradscape —— 看优化器如何前进";
    Tagline = "See how optimizers move — PyTorch-exact", "看优化器如何前进——与 PyTorch 逐位一致";
    Language = "Language", "语言";
    ThemeLight = "☀ Light", "☀ 浅色";
    ThemeDark = "☾ Dark", "☾ 深色";
    Dismiss = "dismiss", "关闭";
    // The sweep view.
    SweepTitle = "Hyperparameter sweep", "超参数扫描";
    SweepCard = "card", "卡片";
    SweepFrom = "from", "从";
    SweepTo = "to", "到";
    SweepCells = "cells", "格数";
    SweepMethod = "method", "方法";
    SweepSamples = "samples", "样本数";
    SweepMaxSteps = "max steps R", "最大步数 R";
    SweepThreshold = "threshold", "阈值";
    SweepCancel = "Cancel", "取消";
    SweepRun = "Run", "运行";
    SweepLegend = "colour: final loss (log) · red: diverged · white line: reached the threshold · ○ the card's setting · ☆ Polyak's (α*, β*) · click to load",
        "颜色：最终损失（对数）· 红色：发散 · 白线：达到阈值的边界 · ○ 卡片当前设置 · ☆ Polyak 的 (α*, β*) · 点击载入";
    /// `{0}` runs planned, `{1}` evaluations in all (steps × cost of one); the caps are the
    /// sweep view's `MAX_SWEEP_WORK` and `MAX_EVAL_WORK`.
    SweepTooBig = "too much for the page: {0} runs, about {1} evaluations (at most 5e7, 2e6 per run): fewer cells, steps or points, or `gradscape sweep`",
        "对页面来说太多：{0} 次运行，约 {1} 次求值（最多 5e7，每次运行 2e6）：请减少格数、步数或数据点，或用 `gradscape sweep`";
    /// `{0}` runs done, `{1}` runs planned, `{2}` steps of budget spent.
    SweepStatus = "{0} / {1} runs · {2} steps spent", "{0} / {1} 次运行 · 已用 {2} 步";
    /// `{0}`, `{2}` the axes' keys, `{1}`, `{3}` their values, `{4}` the loss.
    SweepBest = " · best {0} = {1}, {2} = {3}: loss {4}", " · 最佳 {0} = {1}，{2} = {3}：损失 {4}";
    /// `{0}`…`{3}` as above, `{4}` the final loss, `{5}` finished or diverged, `{6}` steps run.
    SweepCell = "{0} = {1} · {2} = {3} · final loss {4} · {5} after {6} steps",
        "{0} = {1} · {2} = {3} · 最终损失 {4} · {6} 步后 {5}";
    /// `{0}` the first step below the threshold.
    SweepBelow = " · below the threshold at step {0}", " · 第 {0} 步低于阈值";
    /// `{0}` Hyperband's bracket s, `{1}` the rung, `{2}` the configuration.
    SweepRung = " · bracket {0} rung {1} (config {2})", " · 第 {0} 组第 {1} 轮（配置 {2}）";
    Projector = "Projector", "投影模式";
    ReadOut = "Read out", "朗读";
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
    /// The one-click fix.
    FixLr = "find a stable η", "找一个稳定的 η";
    NoStableRate = "no learning rate down to 10⁻¹⁵ of this one keeps the run from diverging: change the start, the schedule or the optimizer",
        "把学习率降到原来的 10⁻¹⁵ 也无法避免发散：请换起点、学习率计划或优化器";
    FixLrTitle = "the engine tries 1, 2, 5 × 10ᵏ below this rate and sets the largest whose run does not diverge",
        "引擎依次试比当前更小的 1、2、5 × 10ᵏ，设为其中不发散的最大学习率";

    // Surface, run and add-optimizer panels.
    Surface = "Surface", "曲面";
    KeepSurface = "{0}. Keeping the current surface.", "{0}。保留当前曲面。";
    ExprAt = "character {0}: {1}", "第 {0} 个字符：{1}";
    ExprStays = "The previous surface stays until this parses.", "在此式能被解析之前，保留之前的曲面。";
    ExprHelp = "+ − * / ^, sin cos tan exp ln sqrt abs tanh, pi, e",
        "运算 + − * / ^；函数 sin cos tan exp ln sqrt abs tanh；常数 pi、e";
    Schedule = "Learning-rate schedule (all optimizers)", "学习率调度（所有优化器）";
    Vectors = "show gradient (red), velocity / first moment (blue) and step (green)",
        "显示梯度（红）、速度 / 一阶矩（蓝）和步长（绿）";
    OptimizerToAdd = "optimizer to add", "要添加的优化器";
    AddOptimizer = "+ Add optimizer", "+ 添加优化器";
    NotANumber = "{0}: '{1}' is not a number", "{0}：'{1}' 不是数字";

    // Optimizer cards.
    StepNote = "step {0}: {1}", "第 {0} 步：{1}";
    EffectiveLr = " · effective lr (x, y) = ({0}, {1})", " · 有效学习率 (x, y) = ({0}, {1})";
    ShowHide = "show or hide this path", "显示或隐藏这条路径";
    Show = "show", "显示";
    RemoveTitle = "remove this optimizer", "移除这个优化器";
    Remove = "remove", "移除";
    CardBatchTitle = "this card's own batch, so batch 1 and full batch can race side by side",
        "本卡片自己的批量，让批量 1 与全批量并排比赛";
    CardBatch = "batch (this card)", "批量（本卡片）";
    AsTask = "as set for the task", "与任务设置相同";
    FullBatch = "full batch", "全批量";
    OneSample = "1 (one sample)", "1（单个样本）";
    Readout = "step {0} · ({1}, {2}) · f = {3}", "第 {0} 步 · ({1}, {2}) · f = {3}";

    // The play bar.
    Play = "▶ Play", "▶ 播放";
    Pause = "❚❚ Pause", "❚❚ 暂停";
    StepTitle = "one step forward", "前进一步";
    Step = "+1 step", "+1 步";
    ResetTitle = "back to step 0", "回到第 0 步";
    Reset = "⟲ Reset", "⟲ 重置";
    Playhead = "playhead", "播放头";
    SpeedTitle = "steps per second while playing", "播放时每秒前进的步数";
    Speed = "speed", "速度";
    PerSecond = "{0} /s", "每秒 {0} 步";
    ThreeDTitle = "show the surface in 3-D; drag to rotate", "以三维显示曲面；拖动可旋转";
    ThreeD = "3-D", "三维";
    OpenFull = "open in gradscape ↗", "在 gradscape 中打开 ↗";

    // Share and export.
    ShareButton = "Share / export", "分享 / 导出";
    ShareTitle = "Share and export", "分享与导出";
    PageLink = "Link to this page", "本页链接";
    Copy = "Copy", "复制";
    EmbedWithout = "Embed without", "嵌入时隐藏";
    PanelControls = "controls", "控制面板";
    PanelLoss = "loss chart", "损失曲线";
    PanelLegend = "legend", "图例";
    PanelToolbar = "toolbar", "工具栏";
    PanelHeader = "header", "页眉";
    PanelFormula = "formula", "公式";
    Width = "width", "宽度";
    Height = "height", "高度";
    EmbedCode = "Embed code", "嵌入代码";
    Close = "Close", "关闭";
    SizeError = "Size: whole numbers of pixels from 200 to 4000", "尺寸：200 到 4000 之间的整数像素";
    Copied = "Copied", "已复制";
    SelectCopy = "Select the text and press Ctrl+C", "请选中文本后按 Ctrl+C";
    Export = "Export", "导出";
    CsvTitle = "every trajectory: optimizer,index,step,x,y,loss (as gradscape export)",
        "所有轨迹：optimizer,index,step,x,y,loss（与 gradscape export 相同）";
    JsonTitle = "the scene and every trajectory (as gradscape export --format json)",
        "场景与所有轨迹（与 gradscape export --format json 相同）";
    PngSurface = "PNG: surface", "PNG：曲面";
    PngLoss = "PNG: loss chart", "PNG：损失曲线";
    WebmTitle = "plays the race from step 0 and records the surface view",
        "从第 0 步播放比赛并录制曲面视图";
    Record = "Record race (WebM)", "录制比赛（WebM）";
    CopyScript = "Copy {0} script", "复制 {0} 脚本";
    Script = "script", "脚本";
    Saved = "Saved {0}", "已保存 {0}";
    SavedPng = "Saved {0} ({1} × {2} px)", "已保存 {0}（{1} × {2} 像素）";
    SavedWebm = "Saved {0} ({1} KB)", "已保存 {0}（{1} KB）";
    RefusedFile = "the browser refused to make the file", "浏览器拒绝生成文件";
    RefusedDownload = "the browser refused the download", "浏览器拒绝了下载";
    CopiedScript = "Copied the {0} script", "已复制 {0} 脚本";
    NoClipboard = "The clipboard is not available here: the {0} script is below, selected; press Ctrl+C",
        "此处无法使用剪贴板：{0} 脚本在下方且已选中，请按 Ctrl+C";
    FooterHead = "gradscape · {0}: f(x, y) = {1} · step {2} of {3}",
        "gradscape · {0}：f(x, y) = {1} · 第 {2} 步（共 {3} 步）";
    DidNotRun = "did not run: {0}", "未运行：{0}";
    DivergedLoss = "diverged at step {0} (loss {1})", "在第 {0} 步发散（损失 {1}）";
    LossAt = "loss {0} at step {1}", "第 {1} 步损失 {0}";
    SurfaceHidden = "the surface view is not shown", "曲面视图未显示";
    LossHidden = "the loss chart is not shown (the link hides it)", "损失曲线未显示（链接隐藏了它）";
    NoCanvas = "the browser could not make a canvas", "浏览器无法创建画布";
    PngFailed = "the browser could not encode the PNG", "浏览器无法编码 PNG";
    Encoding = "Encoding {0}…", "正在编码 {0}…";
    NoRecorder = "This browser cannot record video (no MediaRecorder): try Chrome or Firefox, or export PNGs",
        "此浏览器无法录制视频（没有 MediaRecorder）：请使用 Chrome 或 Firefox，或导出 PNG";
    NoWebm = "This browser cannot record WebM video: try Chrome or Firefox",
        "此浏览器无法录制 WebM 视频：请使用 Chrome 或 Firefox";
    NoCapture = "the browser cannot capture the canvas", "浏览器无法捕获画布";
    RefusedRecord = "the browser refused to record", "浏览器拒绝录制";
    EmptyRecording = "the recording came out empty", "录制结果为空";
    Recording = "Recording the race…", "正在录制比赛…";
    RecordingStep = "Recording the race… step {0} of {1}", "正在录制比赛…第 {0} 步（共 {1} 步）";

    // Learning tasks.
    Problem = "Problem", "问题";
    ASurface = "a 2-D surface", "二维曲面";
    LinearTask = "linear regression", "线性回归";
    PolynomialTask = "polynomial regression", "多项式回归";
    LogisticTask = "logistic regression", "逻辑回归";
    LabelNoise = "label noise", "标签噪声";
    Uniform = "uniform", "均匀分布";
    Gaussian = "Gaussian", "高斯分布";
    PointClouds = "point clouds", "点云";
    TwoBlobs = "two blobs", "两团点";
    TwoMoons = "two moons", "两个月牙";
    FullBatchTitle = "full batch: every step uses every training point", "全批量：每一步使用所有训练点";
    MiniBatches = "mini-batches (unchecked: full batch)", "小批量（不勾选：全批量）";
    NoTaskParam = "task {0} has no parameter '{1}'", "任务 {0} 没有参数 '{1}'";
    TooManyPoints = "At most {0} points fit in a link; this dataset has {1}.",
        "链接最多容纳 {0} 个点；此数据集有 {1} 个。";
    CsvNotLoaded = "CSV not loaded, the data are unchanged: {0}", "CSV 未载入，数据保持不变：{0}";
    LegendPolynomial = "● training point · ○ validation point · dashed: least-squares fit",
        "● 训练点 · ○ 验证点 · 虚线：最小二乘拟合";
    LegendLogistic = "● class 0 · ■ class 1 · shading: the first shown optimizer's P(class 1)",
        "● 类别 0 · ■ 类别 1 · 阴影：第一个显示的优化器给出的 P(类别 1)";
    LegendLinear = "● data point · dashed: least-squares fit", "● 数据点 · 虚线：最小二乘拟合";
    FitAria = "the data and each optimizer's model; click adds a point, drag moves one, Shift-click or right click removes one; keys: arrows move a cross, Enter adds a point there, Delete removes the one under it, Ctrl+Z undoes",
        "数据与各优化器的模型；点击添加一个点，拖动移动点，Shift+点击或右键删除点；键盘：方向键移动十字，Enter 在该处添加点，Delete 删除其下的点，Ctrl+Z 撤销";
    NewClassOne = "new points are class 1", "新点属于类别 1";
    Undo = "undo", "撤销";
    NewDataTitle = "new random data: the seed goes up by one", "新的随机数据：种子加一";
    NewData = "new data", "新数据";
    Clear = "clear", "清空";
    PasteCsv = "paste or load a CSV", "粘贴或载入 CSV";
    CsvPlaceholder = "x,y (logistic: x1,x2,label), one point per line; a header line is optional",
        "x,y（逻辑回归：x1,x2,label），每行一个点；表头行可选";
    UsePoints = "use these points", "使用这些点";
    Computing = "computing in the background…", "正在后台计算……";
    TooLong = "{0} steps over {1} points would take too long here (about {2} evaluations, at most {3} keep the page responsive): lower steps, n or the batch size (`gradscape fit` runs it)",
        "在 {1} 个点上跑 {0} 步在这里耗时过长（约 {2} 次求值，最多 {3} 次才能保持页面流畅）：请减少步数、n 或批量大小（`gradscape fit` 可以运行它）";

    // Charts and views (canvas text included).
    Loss = "loss", "损失";
    ValLoss = "validation loss", "验证损失";
    Accuracy = "accuracy", "准确率";
    AxisStep = "step", "步数";
    LogAxis = "{0} (log)", "{0}（对数）";
    LossAria = "loss against step for each optimizer; click to move the playhead",
        "各优化器的损失随步数的变化；点击可移动播放头";
    LossHover = "hover the chart to read every {0} at a step; click to jump there",
        "悬停在图上读取某一步所有优化器的{0}；点击跳到该步";
    PlaneTwo = "the loss over ({0}, {1}) · hover to read it · click or drag to move the start",
        "({0}, {1}) 上的损失 · 悬停读取数值 · 点击或拖动可移动起点";
    PlaneMany = "the loss over the plane of {0} and {1}, the other {2} parameters held at {3} · paths projected onto it",
        "{0} 与 {1} 所在平面上的损失，其余 {2} 个参数固定在{3} · 路径投影到该平面上";
    PlanePca = "PCA plane: the loss over the plane through {0} spanned by the paths' two leading principal directions (PC1, PC2; Li et al. 2018) · paths projected onto it",
        "PCA 平面：经过{0}、由路径的两个主方向（PC1、PC2；Li 等，2018）张成的平面上的损失 · 路径投影到该平面上";
    DrawPlaneLabel = "plane shown", "显示的平面";
    PlaneWeights = "two weights", "两个权重";
    PlanePcaOption = "PCA of the paths", "路径的主成分平面";
    TheOptimum = "the optimum", "最优点";
    TheReference = "the reference point", "参考点";
    SolidAria = "3-D surface with optimizer paths; drag to rotate", "带优化器路径的三维曲面；拖动可旋转";
    SurfaceAria = "loss surface with optimizer paths; click or drag to move the start, arrow keys nudge it; wheel, + and - zoom, Shift-drag pans, 0 fits, 1 toggles true aspect",
        "带优化器路径的损失曲面；点击或拖动移动起点，方向键微调；滚轮、+ 和 - 缩放，Shift+拖动平移，0 复位，1 切换等比例";
    ZoomInTitle = "zoom in (+)", "放大 (+)";
    ZoomIn = "zoom in", "放大";
    ZoomOutTitle = "zoom out (−)", "缩小 (−)";
    ZoomOut = "zoom out", "缩小";
    FitTitle = "fit the surface's own region (0)", "回到曲面自身的范围 (0)";
    Fit = "fit", "复位";
    TrueAspect = "1:1 true aspect", "1:1 等比例";
    TrueAspectTitle = "true aspect: one unit of x as long as one of y (pressed) · off: stretch to fill, one scale per axis, for axes that are different quantities (1)",
        "等比例：x 与 y 的一个单位在屏幕上一样长（按下）· 关闭：拉伸填满视图，两轴各用各的比例，适合两轴量纲不同时 (1)";
    SurfaceHover = "hover for x, y, f(x, y), ‖∇f‖ · click or drag to move the start · wheel zooms, Shift-drag pans",
        "悬停查看 x、y、f(x, y)、‖∇f‖ · 点击或拖动移动起点 · 滚轮缩放，Shift+拖动平移";

    // Lessons (src/lessons.rs): the panel, then a title, a text and a question per lesson.
    Lessons = "Lessons", "课程";
    LessonsTitle = "curated scenes with a text and a question for the class", "精选场景，附讲解和课堂提问";
    Ask = "Ask the class:", "向全班提问：";
    NextLesson = "next lesson ▸", "下一课 ▸";
    LrTitle = "Learning rate: too small, right, too large, divergent", "学习率：太小、合适、太大、发散";
    LrText = "Four SGD runs on ½(x² + 10y²). The steep direction has curvature 10, so gradient descent is stable only while η·10 < 2, that is η < 0.2. η = 0.01 crawls; η = 0.1 removes the steep direction in one step; η = 0.195 zig-zags across the valley; η = 0.25 diverges.",
        "在 ½(x² + 10y²) 上运行四个 SGD。陡峭方向的曲率为 10，所以只有 η·10 < 2，即 η < 0.2 时梯度下降才稳定。η = 0.01 爬得很慢；η = 0.1 一步就消除了陡峭方向；η = 0.195 在山谷两侧来回震荡；η = 0.25 发散。";
    LrAsk = "What is the largest learning rate that still converges here, and why does η = 0.1 beat η = 0.195?",
        "这里仍能收敛的最大学习率是多少？为什么 η = 0.1 比 η = 0.195 收敛得更快？";
    CondTitle = "Ill-conditioning: SGD zig-zags, momentum glides", "病态条件：SGD 之字形前进，动量法平滑滑行";
    CondText = "With κ = 50 the bowl is fifty times steeper across than along. SGD at its largest stable rate (just under 2/50) bounces across the valley and creeps along it; momentum (μ = 0.9) with a quarter of that rate builds up speed along the valley, and after 100 steps its loss is about seven times lower.",
        "κ = 50 时，碗的横向比纵向陡五十倍。SGD 用它最大的稳定学习率（略小于 2/50），在山谷两壁之间来回弹跳，沿谷底却爬得很慢；动量法（μ = 0.9）只用四分之一的学习率，就能沿山谷积累速度，100 步后损失约低七倍。";
    CondAsk = "Why can SGD not simply take a larger learning rate to go faster along the valley?",
        "SGD 为什么不能简单地用更大的学习率沿山谷走得更快？";
    NagTitle = "Nesterov vs momentum", "Nesterov 动量与经典动量";
    NagText = "Same rate, same μ = 0.9. Nesterov's update uses the look-ahead g + μb, so it brakes before it overshoots: after 200 steps its loss is about a thousand times lower than classical momentum's.",
        "学习率相同，μ 同为 0.9。Nesterov 的更新用的是向前看的 g + μb，所以在冲过头之前就开始减速：200 步后它的损失比经典动量法低约一千倍。";
    NagAsk = "Raise the learning rate on both cards: which one diverges first, and what does that say about the price of looking ahead?",
        "把两张卡片的学习率都调大：哪一个先发散？这说明向前看的代价是什么？";
    SaddleTitle = "A saddle: SGD lingers, Adam escapes", "鞍点：SGD 徘徊，Adam 逃离";
    SaddleText = "f = x² − y², starting almost on the ridge (y = 0.02). The gradient in y is tiny there, so SGD's distance from the ridge grows only by the factor 1 + 2η per step; Adam divides each coordinate by its own gradient scale, moves in y by about η per step from the start and leaves the saddle far sooner.",
        "f = x² − y²，起点几乎就在鞍脊上（y = 0.02）。那里 y 方向的梯度极小，SGD 离开鞍脊的距离每步只放大 1 + 2η 倍；Adam 按每个坐标自己的梯度尺度做除法，从一开始就沿 y 每步移动约 η，因而早得多地离开鞍点。";
    SaddleAsk = "In a network with millions of parameters, why would saddles matter more than local minima?",
        "在有数百万个参数的网络中，为什么鞍点比局部极小值更值得关注？";
    RosenTitle = "Rosenbrock's valley", "Rosenbrock 函数的山谷";
    RosenText = "SGD drops into the curved valley within ten steps, then crawls along its floor: after 1,000 steps its loss is still above 0.1. Momentum with the same rate keeps its speed around the bend and gets below 10⁻⁴; damped Newton, which uses the exact Hessian, lands on (1, 1) in a handful of steps.",
        "SGD 在十步之内落入弯曲的山谷，然后沿谷底缓慢爬行：1000 步后损失仍大于 0.1。相同学习率的动量法在转弯处保持速度，损失降到 10⁻⁴ 以下；使用精确 Hessian 的阻尼牛顿法只需几步就落在 (1, 1) 上。";
    RosenAsk = "Newton is so fast here: why do we not train neural networks with it?",
        "牛顿法在这里这么快，为什么我们不用它来训练神经网络？";
    AdaTitle = "AdaGrad's shrinking step vs RMSprop", "AdaGrad 越来越小的步长与 RMSprop";
    AdaText = "AdaGrad divides by the square root of the sum of every squared gradient so far, so its effective learning rate can only shrink; RMSprop divides by a running average that forgets. Along Rosenbrock's valley AdaGrad's steps get shorter (step 1,000 is far shorter than step 200) while RMSprop's get longer, and RMSprop ends lower. Each card shows its effective rate per coordinate.",
        "AdaGrad 除以迄今所有梯度平方之和的平方根，所以它的有效学习率只会变小；RMSprop 除以会遗忘的滑动平均。沿 Rosenbrock 山谷，AdaGrad 的步子越走越短（第 1000 步远短于第 200 步），RMSprop 的步子却越走越长，最终损失也更低。每张卡片都显示各坐标的有效学习率。";
    AdaAsk = "For which problems is a learning rate that only shrinks a good thing?",
        "对于哪些问题，只会变小的学习率反而是好事？";
    BiasTitle = "Adam's first steps: bias correction", "Adam 的最初几步：偏差修正";
    BiasText = "m and v start at 0, so after one step m = (1 − β₁)g and v = (1 − β₂)g² are far too small. Adam divides them by 1 − β₁ᵗ and 1 − β₂ᵗ, so its first update is η·g/|g|: exactly η = 0.1 in each coordinate, although the gradient here is five times larger in y than in x. SGD's first step is η·g, five times longer in y. The third card drops the correction (a teaching variant, not in PyTorch): its first step is η(1 − β₁)/√(1 − β₂) ≈ 3.16η in each coordinate.",
        "m 和 v 从 0 开始，一步之后 m = (1 − β₁)g、v = (1 − β₂)g² 都远远偏小。Adam 把它们分别除以 1 − β₁ᵗ 和 1 − β₂ᵗ，所以第一步更新是 η·g/|g|：每个坐标恰好移动 η = 0.1，尽管这里 y 方向的梯度是 x 方向的五倍。SGD 的第一步是 η·g，在 y 方向长五倍。第三张卡片去掉了修正（教学用变体，PyTorch 中没有）：它的第一步在每个坐标上是 η(1 − β₁)/√(1 − β₂) ≈ 3.16η。";
    BiasAsk = "Why is the uncorrected first step longer, and what would it be with β₂ = 0.99?",
        "为什么不修正时第一步更长？β₂ = 0.99 时它又是多少？";
    HimmelTitle = "Local minima: Himmelblau", "局部极小值：Himmelblau 函数";
    HimmelText = "Himmelblau's function has four minima, all with f = 0. From the same start and with the same rate, SGD settles in the minimum at (3.58, −1.85), while momentum's speed carries it over the ridge to (3, 2). Which minimum a run reaches depends on its path, not only on its start.",
        "Himmelblau 函数有四个极小值，函数值都为 0。从同一起点、用同一学习率出发，SGD 停在 (3.58, −1.85) 处的极小值，而动量法凭借速度越过山脊到达 (3, 2)。到达哪个极小值取决于路径，而不只是起点。";
    HimmelAsk = "Drag the start: can you find one from which both land in the same minimum?",
        "拖动起点：能找到一个让两者落入同一个极小值的起点吗？";
    RastTitle = "Rastrigin: momentum is no global optimizer", "Rastrigin 函数：动量不是全局优化器";
    RastText = "Rastrigin's egg box has a local minimum near every integer point. SGD and momentum (μ = 0.9) stop in the nearest one, at (−1.99, 1.99) with f ≈ 8; with μ = 0.99 and a larger rate the run bounces over many wells and ends in a worse one. Momentum helps a run over small bumps; it does not find the global minimum at the origin.",
        "Rastrigin 函数像一个蛋盒，几乎每个整数点附近都有一个局部极小值。SGD 和动量法（μ = 0.9）停在最近的一个，即 (−1.99, 1.99)，f ≈ 8；μ = 0.99 加上更大的学习率时，路径跳过许多坑，最后停在更差的一个里。动量能帮助越过小的起伏，却找不到原点处的全局极小值。";
    RastAsk = "What would you try to reach the origin: more momentum, gradient noise, restarts or a schedule?",
        "要到达原点，你会尝试什么：更大的动量、梯度噪声、多次重启，还是学习率调度？";
    SchedTitle = "Learning-rate schedules", "学习率调度";
    SchedText = "With gradient noise σ = 2, SGD at η = 0.1 soon stops improving: it jitters around the minimum at a noise floor set by η. Step decay multiplies η by 0.2 every 100 steps and each drop lowers the floor: the mean loss over the last 50 steps is more than thirty times lower than over steps 50 to 100. Switch the schedule to Constant to compare.",
        "梯度噪声 σ = 2 时，η = 0.1 的 SGD 很快就不再进步：它在极小值附近抖动，噪声底由 η 决定。阶梯衰减每 100 步把 η 乘以 0.2，每次下降都降低噪声底：最后 50 步的平均损失比第 50 到 100 步低三十多倍。把调度切换为“恒定”来比较。";
    SchedAsk = "If decaying helps this much, why not start with the small learning rate?",
        "既然衰减这么有用，为什么不一开始就用小学习率？";
    NoiseTitle = "Gradient noise: speed against precision", "梯度噪声：速度与精度";
    NoiseText = "Both runs see the same noisy gradients (σ = 2, seed 1). The larger rate gets near the minimum first but then jitters with a loss around 0.3; the smaller one is slower at first and its loss over the last 100 steps is about ten times lower: the noise floor grows with the learning rate.",
        "两次运行看到的是同样的含噪声梯度（σ = 2，种子 1）。较大的学习率先接近极小值，之后却在约 0.3 的损失附近不停抖动；较小的学习率起初更慢，最后 100 步的平均损失却低约十倍：噪声底随学习率增大。";
    NoiseAsk = "Mini-batch gradients are noisy too: what does this say about choosing the learning rate and the batch size together?",
        "小批量梯度同样含有噪声：这对同时选择学习率和批量大小意味着什么？";
    BatchTitle = "Batch size on linear regression", "线性回归中的批量大小";
    BatchText = "The same SGD on y = 3x + noise with one sample, ten samples and the whole dataset per step. The full batch glides to the least-squares fit (the dashed line); batch 10 gets close while its loss wobbles; batch 1 looks at one point per step, jitters around the optimum and ends higher.",
        "在 y = 3x + 噪声上运行同一个 SGD，每步分别使用 1 个样本、10 个样本和整个数据集。全批量平滑地滑向最小二乘拟合（虚线）；批量 10 接近它，但损失有起伏；批量 1 每步只看一个点，在最优解附近抖动，最终损失更高。";
    BatchAsk = "A batch-1 step costs fifty times less than a full-batch one here: when is that trade worth it?",
        "这里批量 1 的一步只有全批量一步开销的五十分之一：什么时候这种取舍是值得的？";
    OverTitle = "Over-fitting: a degree-12 polynomial", "过拟合：12 次多项式";
    OverText = "Thirty noisy points of sin 2πx, a third of them held out. A degree-12 polynomial has 13 weights, enough to chase the noise: the training loss keeps falling while the validation loss (the second chart), lowest early on, grows more than tenfold by step 3,000.",
        "sin 2πx 上的 30 个含噪声点，其中三分之一留作验证。12 次多项式有 13 个权重，足以去追逐噪声：训练损失不断下降，而验证损失（第二张图）在早期最低，到第 3000 步时增大十倍以上。";
    OverAsk = "When would you have stopped training, and how would you know without a validation set?",
        "你会在什么时候停止训练？如果没有验证集，你又怎么知道？";
    L2Title = "L2 regularisation tames degree 12", "L2 正则化驯服 12 次多项式";
    L2Text = "The same fit with the penalty 0.01·Σ wⱼ² added to what Adam minimises. The training loss ends a little higher (0.0083 instead of 0.0063), but the validation loss settles near 0.04 instead of climbing past 1: the penalty keeps the weights from chasing the noise.",
        "同样的拟合，但在 Adam 最小化的目标上加上惩罚 0.01·Σ wⱼ²。训练损失最终略高（0.0083 而不是 0.0063），验证损失却稳定在 0.04 附近，而不是攀升到 1 以上：惩罚项让权重不再追逐噪声。";
    L2Ask = "Try l2 = 0.1 and l2 = 0.0001: what goes wrong at each end?",
        "试试 l2 = 0.1 和 l2 = 0.0001：两端各出了什么问题？";
    SeedTitle = "A seed article's Adam, checked", "检验一篇源文章中的 Adam";
    SeedText = "One of the articles gradscape grew from fits y = 3x + noise with lr = 0.01 for 1,000 steps and writes Adam's update as θ − α·mₜ/(1 − β₁ᵗ), without √v̂. That rule is momentum with averaging (the second card, dampening = β₁, is the same rule up to the bias correction): its step grows with the gradient, (0.024, 0.034) at first. Adam divides by √v̂, so its first step is exactly 0.01 in w and in b. (The article adds U(0, 1) noise, this task U(−0.5, 0.5): the same spread, the intercept moved by 0.5.)",
        "gradscape 所源自的一篇文章用 lr = 0.01 在 y = 3x + 噪声上训练 1000 步，并把 Adam 的更新写成 θ − α·mₜ/(1 − β₁ᵗ)，漏掉了 √v̂。这个规则其实是带平均的动量法（第二张卡片 dampening = β₁，除偏差修正外是同一规则）：它的步长随梯度增大，第一步是 (0.024, 0.034)。Adam 除以 √v̂，所以第一步在 w 和 b 上都恰好是 0.01。（文章加的是 U(0, 1) 噪声，这个任务是 U(−0.5, 0.5)：宽度相同，截距平移了 0.5。）";
    SeedAsk = "If every gradient were a hundred times larger, whose first step would change, and whose would not?",
        "如果每个梯度都大一百倍，谁的第一步会改变，谁的不会？";

    // The engine's catalogue words, found by their English (see [`cat`]): optimizer, surface
    // and schedule names with the standard Chinese term, parameter labels and help, rules.
    CSgd = "SGD", "随机梯度下降 SGD";
    CMomentum = "Momentum", "动量 Momentum";
    CNesterov = "Nesterov", "Nesterov 动量";
    CAdagrad = "Adagrad", "自适应梯度 Adagrad";
    CRmsprop = "RMSprop", "均方根传播 RMSprop";
    CAdam = "Adam", "自适应矩估计 Adam";
    CNewton = "Newton", "牛顿法 Newton";
    CNewtonTorch = "damped Newton (uses the exact Hessian)", "阻尼牛顿法（使用精确的 Hessian 矩阵）";
    CLionTorch = "Lion (Chen et al. 2023; optax.lion)", "Lion（Chen 等，2023；optax.lion）";
    CQuadratic = "Quadratic bowl", "二次碗";
    CSaddle = "Saddle", "鞍面";
    CMonkeySaddle = "Monkey saddle", "猴鞍面";
    CCamel = "Six-hump camel", "六峰驼背函数 Six-hump camel";
    CCustom = "Custom expression", "自定义表达式";
    CConstant = "Constant", "恒定";
    CStepDecay = "Step decay", "阶梯衰减";
    CExpDecay = "Exponential decay", "指数衰减";
    CCosine = "Cosine annealing", "余弦退火";
    CInverseTime = "Inverse-time decay", "逆时衰减";
    CLr = "learning rate", "学习率";
    CWeightDecay = "weight decay", "权重衰减";
    CMomentumLabel = "momentum", "动量";
    CDampening = "dampening", "动量阻尼";
    CLrDecay = "learning-rate decay", "学习率衰减";
    CInitialAcc = "initial accumulator", "初始累加值";
    CEpsilon = "epsilon", "ε";
    CSmoothingAlpha = "smoothing α", "平滑系数 α";
    CCentered = "centered", "中心化";
    CSmoothingRho = "smoothing ρ", "平滑系数 ρ";
    CMomentumDecay = "momentum decay ψ", "动量衰减 ψ";
    CDamping = "damping δ", "阻尼 δ";
    CKappa = "condition number κ", "条件数 κ";
    CTheta = "rotation θ (degrees)", "旋转角 θ（度）";
    CDataNoise = "data noise", "数据噪声";
    CDataPoints = "data points", "数据点数";
    CDegree = "degree", "次数";
    CL2 = "L2 strength", "L2 强度";
    CDecayD = "decay d", "衰减 d";
    CStepSize = "step size s", "步长 s";
    CPeriod = "period T", "周期 T";
    CWarmup = "warm-up steps", "预热步数";
    CSteps = "steps", "步数";
    CNoise = "gradient noise σ", "梯度噪声 σ";
    CSeed = "noise seed", "噪声种子";
    CBatch = "mini-batch size", "小批量大小";
    HLr = "step size η", "步长 η";
    HNewtonLr = "step size η; 1 is the full Newton step", "步长 η；1 为完整的牛顿步";
    HWeightDecay = "L2 penalty λ added to the gradient: g ← g + λθ", "加到梯度上的 L2 惩罚 λ：g ← g + λθ";
    HLionDecay = "decoupled decay λ: θ ← θ − η(sign(c) + λθ)", "解耦的权重衰减 λ：θ ← θ − η(sign(c) + λθ)";
    HAdamwDecay = "decoupled decay λ: θ ← θ(1 − ηλ) before the Adam step",
        "解耦的权重衰减 λ：在 Adam 步之前 θ ← θ(1 − ηλ)";
    HMomentum = "fraction μ of the previous velocity kept each step", "每步保留上一步速度的比例 μ";
    HDampening = "τ: the gradient enters the velocity scaled by (1 − τ)", "τ：梯度乘以 (1 − τ) 后计入速度";
    HLrDecay = "δ: step t uses η/(1 + (t−1)·δ)", "δ：第 t 步使用 η/(1 + (t−1)·δ)";
    HInitialAcc = "starting value of the squared-gradient sum s; damps the first steps",
        "梯度平方和 s 的初始值；使最初几步变小";
    HEps = "ε added to the denominator so it is never zero", "加到分母上的 ε，使分母永不为零";
    HAlpha = "decay α of the running average of g²", "g² 滑动平均的衰减率 α";
    HCentered = "divide by the running variance of g instead of its raw second moment",
        "除以 g 的滑动方差，而不是其原始二阶矩";
    HRho = "decay ρ of the running averages of g² and of Δ²", "g² 与 Δ² 滑动平均的衰减率 ρ";
    HBeta1 = "decay β₁ of the first moment m (the running mean of g)", "一阶矩 m（g 的滑动平均）的衰减率 β₁";
    HBeta2 = "decay β₂ of the second moment v (the running mean of g²)", "二阶矩 v（g² 的滑动平均）的衰减率 β₂";
    HLionBeta2 = "decay β₂ of the momentum m that is carried to the next step", "带到下一步的动量 m 的衰减率 β₂";
    HMomentumDecay = "ψ: how fast the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)) warms up",
        "ψ：动量调度 μₜ = β₁(1 − ½·0.96^(tψ)) 预热的快慢";
    HDamping = "δ added to the Hessian's diagonal; large δ turns Newton into gradient descent",
        "加到 Hessian 对角线上的 δ；δ 很大时牛顿法退化为梯度下降";
    HKappa = "curvature ratio between the steep and the shallow axis", "陡轴与缓轴的曲率之比";
    HTheta = "rotates the bowl's axes away from x and y", "使碗的主轴偏离 x、y 轴";
    HA = "the minimum sits at (a, a²)", "最小值位于 (a, a²)";
    HB = "steepness of the valley walls", "谷壁的陡峭程度";
    HN = "how many points are generated (ignored with your own data)", "生成的点数（使用自己的数据时忽略）";
    HNoiseY = "amplitude of the noise on y: uniform on ±a, or Gaussian with σ = a (data_dist)",
        "y 上噪声的幅度：±a 上的均匀分布，或 σ = a 的高斯分布（data_dist）";
    HNoiseXy = "σ of the Gaussian noise on each point's position", "每个点位置上高斯噪声的 σ";
    HDegree = "degree d of the polynomial: d + 1 weights w0…wd", "多项式的次数 d：共 d + 1 个权重 w0…wd";
    HL2 = "penalty l2·Σ wj² (j ≥ 1) added to what the optimizers minimise, not to the loss shown",
        "惩罚项 l2·Σ wj²（j ≥ 1）加到优化器最小化的目标上，不计入显示的损失";
    HDecay = "how fast the rate falls as 1/(1 + d·(k−1))", "学习率按 1/(1 + d·(k−1)) 下降的快慢";
    HGamma = "multiplicative decay factor γ", "乘性衰减因子 γ";
    HStepSize = "updates between decays (a whole number)", "两次衰减之间的更新次数（整数）";
    HTMax = "updates from η down to η_min (the closed form rises again after T)",
        "从 η 降到 η_min 所用的更新次数（闭式在 T 之后会回升）";
    HEtaMin = "the rate at the bottom of the cosine", "余弦最低处的学习率";
    HWarmup = "multiplies the rate by min(1, k/W) for update k; alias warmup_steps",
        "第 k 次更新的学习率乘以 min(1, k/W)；别名 warmup_steps";
    HSteps = "how many updates every optimizer takes", "每个优化器更新的次数";
    HNoise = "Gaussian noise added to every gradient (same seed, same noise)",
        "加到每个梯度上的高斯噪声（同一种子，同一噪声）";
    HSeed = "the random stream of the gradient noise", "梯度噪声的随机数流";
    HBatch = "points per gradient step, reshuffled every epoch (1 = one sample at a time)",
        "每个梯度步使用的点数，每轮重新打乱（1 = 每次一个样本）";

    // Phrases of the engine's messages (URL notices, CSV errors, divergence reasons), replaced
    // in this order by [`phrases`]: the engine keeps one English wording for the CLI.
    PNotPd = "H + δI is not positive definite, so the Newton step would not descend: took a gradient step θ ← θ − ηg",
        "H + δI 不是正定的，牛顿步不会下降：改走梯度步 θ ← θ − ηg";
    PNoHessian = "no Hessian was given: took a gradient step θ ← θ − ηg", "没有 Hessian：改走梯度步 θ ← θ − ηg";
    PNoData = "no data points; valid: one point per line, e.g. 0.5,1.4", "没有数据点；有效格式：每行一个点，例如 0.5,1.4";
    PUnknownKey = "unknown key, ignored; valid keys: ", "未知的键，已忽略；有效的键：";
    PMoreKeys = " more unknown keys were ignored", " 个其他未知键也已忽略";
    PUnknownPanel = "unknown panel ", "未知的面板 ";
    PUnknownSurface = "unknown surface ", "未知的曲面 ";
    PUnknownOptimizer = "unknown optimizer ", "未知的优化器 ";
    PUnknownSchedule = "unknown schedule ", "未知的学习率调度 ";
    PUnknownHyper = "unknown hyperparameter ", "未知的超参数 ";
    PUnknownName = "unknown name ", "未知的名称 ";
    PUnknown = "unknown ", "未知的 ";
    PDefaultSurface = "; using the default surface", "；改用默认曲面";
    PDefaultOptimizers = "; using the default optimizers", "；改用默认优化器";
    PDefault = "; using the default", "；改用默认值";
    PIgnored = ", ignored", "，已忽略";
    PIgnoredEnd = "; ignored", "；已忽略";
    PNotValid = " is not valid; valid: ", " 无效；有效值：";
    POutOfRange = " is out of range; valid: ", " 超出范围；有效值：";
    PToggle = " is a toggle; valid: 0 or 1 (false or true)", " 是开关；有效值：0 或 1（false 或 true）";
    PNotWhole = " is not a whole number; valid: ", " 不是整数；有效值：";
    PWholeFrom = "a whole number from ", "整数，范围 ";
    PWholeAtLeast = "a whole number ≥ ", "整数 ≥ ";
    PNumberAtLeast = "a number ≥ ", "数值 ≥ ";
    PFinite = " (finite numbers)", "（有限数）";
    PExpected = ": expected ", "：应有 ";
    PFound = " numbers, found ", " 个数，实际为 ";
    PLabel = ": label must be 0 or 1, found ", "：标签必须为 0 或 1，实际为 ";
    PLine = "line ", "行 ";
    PMoreThan = "more than ", "超过 ";
    PAtMost = " points; valid: at most ", " 个点；有效：最多 ";
    PCsvTakes = " (a CSV file takes up to ", "（CSV 文件最多可含 ";
    PLeftView = " left the view by a factor of ", " 超出视图范围达 ";
    PLossBecame = "loss became ", "损失变为 ";
    PNoisyGrad = "noisy gradient became ", "含噪声的梯度变为 ";
    PBatchGrad = "mini-batch gradient became ", "小批量梯度变为 ";
    PGradBecame = "gradient became ", "梯度变为 ";
    PBecame = " became ", " 变为 ";
    PRotated = " rotated by ", " 旋转 ";
    POver = ", over (w, b)", "，变量为 (w, b)";
    PMeanOver = "mean over the training points of ", "训练点上的平均 ";
    PLegendre = "Legendre Pⱼ (", "Legendre 多项式 Pⱼ（";
    PHeldOut = " points, some held out)", " 个点，部分留作验证）";
    PDidNotRun = " did not run: ", " 未运行：";
    PDivergedAt = " diverged at step ", " 发散，步数 ";
    PCard = "card ", "卡片 ";
    PSemiValid = "; valid: ", "；有效值：";
    PValid = "valid: ", "有效值：";
    PAndMore = " and ", " 以及 ";
    PMore = " more", " 个";
    POr = " or ", " 或 ";
    PTo = " to ", " 到 ";
    // The Keras convention switch and the teaching variant (src/engine/optim).
    CKeras = "Keras convention",
        "Keras 约定";
    HKerasMomentum = "0: PyTorch's rule; 1: Keras 3's (velocity b ← μb + ηg, θ ← θ − b; same path at a constant lr, not under a schedule)",
        "0：PyTorch 的规则；1：Keras 3 的规则（速度 b ← μb + ηg，θ ← θ − b；学习率不变时路径相同，有学习率调度时不同）";
    HKerasAdagrad = "0: PyTorch's rule; 1: Keras 3's, ε inside the root: g/√(s + ε), and Keras's defaults for values not set (s starts at 0.1, ε = 1e-7, η = 0.001)",
        "0：PyTorch 的规则；1：Keras 3 的规则，ε 在根号内：g/√(s + ε)，未设置的值取 Keras 的默认值（s 从 0.1 开始，ε = 1e-7，η = 0.001）";
    HKerasRmsprop = "0: PyTorch's rule; 1: Keras 3's, ε inside the root, g/√(v + ε), and η inside the velocity b ← μb + ηg/√(v + ε)",
        "0：PyTorch 的规则；1：Keras 3 的规则，ε 在根号内 g/√(v + ε)，η 在速度里 b ← μb + ηg/√(v + ε)";
    HKerasAdam = "0: PyTorch's rule, m̂/(√v̂ + ε); 1: Keras 3's, η√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε): ε added before bias correction, so it weighs √(1−β₂ᵗ)⁻¹ times more early on",
        "0：PyTorch 的规则 m̂/(√v̂ + ε)；1：Keras 3 的规则 η√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)：ε 在偏差修正之前加入，所以前几步的权重大 √(1−β₂ᵗ)⁻¹ 倍";
    HKerasAdamax = "0: PyTorch's rule, u ← max(β₂u, |g| + ε); 1: Keras 3's, u ← max(β₂u, |g|) and m/(u + ε)",
        "0：PyTorch 的规则 u ← max(β₂u, |g| + ε)；1：Keras 3 的规则 u ← max(β₂u, |g|) 和 m/(u + ε)";
    HKerasNadam = "0: PyTorch's schedule μₜ = β₁(1 − ½·0.96^(tψ)); 1: Keras 3's, μₜ = β₁(1 − ½·0.96^t) (ψ = 1 whatever momentum_decay says)",
        "0：PyTorch 的调度 μₜ = β₁(1 − ½·0.96^(tψ))；1：Keras 3 的调度 μₜ = β₁(1 − ½·0.96^t)（无论 momentum_decay 为何，ψ = 1）";
    CNobcName = "Adam, no bias correction",
        "Adam（无偏差修正）";
    CNobcTorch = "none — teaching only (the seed articles' Adam without m̂, v̂)",
        "无——仅用于教学（种子文章中没有 m̂、v̂ 的 Adam）";
    // The formula panel (src/engine/formula): narration, seed-article notes, panel words.
    NarrStart = "The start: no step yet. Step forward to see the first one.",
        "起点：还没有走任何一步。单步前进即可看到第一步。";
    NarrStep = "Step {0}: the gradient g = ({1}) points uphill, steepest in {2}.",
        "第 {0} 步：梯度 g = ({1}) 指向上坡，在 {2} 方向最陡。";
    NarrZeroStill = "Step {0}: the gradient is exactly zero here (a minimum, maximum or saddle point) and nothing carries it on, so nothing moves.",
        "第 {0} 步：这里梯度恰好为零（极小值、极大值或鞍点），也没有动量带着它走，所以没有移动。";
    NarrZeroCarried = "Step {0}: the gradient is exactly zero here (a minimum, maximum or saddle point), so it pushes nowhere; the step ({1}) is only what the optimizer carries (momentum) or weight decay.",
        "第 {0} 步：这里梯度恰好为零（极小值、极大值或鞍点），不推向任何方向；这一步 ({1}) 只来自优化器携带的动量或权重衰减。";
    NarrSgd = "SGD steps straight against it: step = −η·g = ({0}).",
        "SGD 直接逆着梯度走：步长 = −η·g = ({0})。";
    NarrNewton = "Newton rescales it by the inverse curvature: step = −η(H + δI)⁻¹g = ({0}).",
        "牛顿法用曲率的逆矩阵缩放梯度：步长 = −η(H + δI)⁻¹g = ({0})。";
    NarrFallback = "H + δI is not positive definite here, so it took a plain gradient step: ({0}).",
        "这里 H + δI 不是正定的，所以改走普通梯度步：({0})。";
    NarrFirstVelocity = "The velocity starts as the gradient itself, so this first step is plain gradient descent.",
        "速度从梯度本身开始，所以第一步就是普通的梯度下降。";
    NarrVelGrew = "The velocity b grew in {0}: the gradient kept pushing the same way.",
        "速度 b 在 {0} 方向变大：梯度一直朝同一方向推。";
    NarrVelShrank = "The velocity b shrank in {0}: the gradient pushed against it.",
        "速度 b 在 {0} 方向变小：梯度在反方向推它。";
    NarrCarried = "The momentum carried it past the valley floor in {0}: it moved uphill there, against the gradient.",
        "动量带着它在 {0} 方向越过了谷底：它在那里逆着梯度往上坡走。";
    NarrVGrew = "{0} grew in {1}, so the effective step in {1} shrank ({2} → {3}).",
        "{0} 在 {1} 方向变大，所以 {1} 方向的有效步长变小（{2} → {3}）。";
    NarrVFell = "{0} fell in {1}, so the effective step in {1} grew ({2} → {3}).",
        "{0} 在 {1} 方向变小，所以 {1} 方向的有效步长变大（{2} → {3}）。";
    NarrEffMoved = "The effective step in {0} went {1} → {2}.",
        "{0} 方向的有效步长从 {1} 变为 {2}。";
    NarrFirstAdam = "First step: bias correction makes m̂ = g and v̂ = g², so every coordinate moves by about η = {0}, whatever the gradient's size.",
        "第一步：偏差修正使 m̂ = g、v̂ = g²，所以每个坐标都移动约 η = {0}，与梯度大小无关。";
    NarrFirstNobc = "First step without bias correction: m = (1−β₁)g and v = (1−β₂)g², so every coordinate moves by about (1−β₁)/√(1−β₂)·η = {0}, not η.",
        "没有偏差修正的第一步：m = (1−β₁)g、v = (1−β₂)g²，所以每个坐标移动约 (1−β₁)/√(1−β₂)·η = {0}，而不是 η。";
    NarrFirstAdaptive = "First step: the running measure of the gradient's size (s, v or u) starts from its initial value, so the effective step per coordinate is ({0}).",
        "第一步：衡量梯度大小的累积量（s、v 或 u）从初始值开始，所以每个坐标的有效步长是 ({0})。";
    NarrLion = "Lion moves every coordinate by exactly η = {0} in the sign of c = β₁m + (1−β₁)g: step = ({1}).",
        "Lion 让每个坐标按 c = β₁m + (1−β₁)g 的符号恰好移动 η = {0}：步长 = ({1})。";
    NarrRadamWarmup = "RAdam is still warming up (ρₜ ≤ 5: the variance of v is not yet reliable), so it takes a plain momentum step η·m̂ without dividing by √v.",
        "RAdam 仍在预热（ρₜ ≤ 5：v 的方差还不可靠），所以它走普通的动量步 η·m̂，不除以 √v。";
    NarrCrossed = "It crossed the valley floor in {0}: the gradient's {0}-component changed sign.",
        "它在 {0} 方向越过了谷底：梯度的 {0} 分量变了号。";
    SeedAdamKeras = "Keras adds ε to the uncorrected √v: PyTorch's ε times √(1−β₂ᵗ), which weighs more in the first steps. Seed article 000 writes √(v̂ + ε), which is neither.",
        "Keras 把 ε 加在未修正的 √v 上：相当于 PyTorch 中的 ε·√(1−β₂ᵗ)，前几步影响更大。种子文章 000 写成 √(v̂ + ε)，三者都不相同。";
    SeedAdam = "Seed article 000 puts ε inside the root, √(v̂ + ε); 001 and 003 put it outside, as PyTorch does. 002's θ − α·m/(1 − β₁ᵗ) has no √v̂ at all, and 004's αₜ = η/(1 − β₁ᵗ)/√(1 − β₂ᵗ) drops v and feeds residuals, not gradients, into m and v: none of these is Adam.",
        "种子文章 000 把 ε 放在根号里 √(v̂ + ε)，001、003 与 PyTorch 一致放在外面；002 的公式 θ − α·m/(1 − β₁ᵗ) 完全没有 √v̂；004 的 αₜ = η/(1 − β₁ᵗ)/√(1 − β₂ᵗ) 去掉了 v，代码还把残差而不是梯度送进 m 和 v：这些都不是 Adam。";
    SeedNobc = "Not in PyTorch: teaching only. Without bias correction (m̂, v̂) step t is scaled by (1−β₁ᵗ)/√(1−β₂ᵗ): about 3× at t = 1 with the default betas.",
        "不是 PyTorch 的算法，仅用于教学：没有偏差修正（m̂、v̂），第 t 步被放大 (1−β₁ᵗ)/√(1−β₂ᵗ) 倍，默认 β 下第一步约为 3 倍。";
    SeedRmsprop = "Seed articles 000, 001 and 002 write η/√(v + ε): Keras's placement (keras=1); PyTorch adds ε outside the root.",
        "种子文章 000、001、002 写成 η/√(v + ε)：这是 Keras 的放法（keras=1）；PyTorch 把 ε 加在根号外。";
    SeedAdagrad = "Seed articles 001 and 002 write √(G + ε): Keras's placement (Keras also starts s at 0.1); 002's code divides g by √(g·g), not by the running sum, which is not AdaGrad.",
        "种子文章 001、002 写成 √(G + ε)：这是 Keras 的放法（Keras 还让 s 从 0.1 开始）；002 的代码用 g/√(g·g) 代替累积和，那不是 AdaGrad。";
    SeedMomentum = "Seed article 001 writes v = γv + η∇J, θ ← θ − v: Keras's form (η inside the velocity), the same path while η is constant; 003 writes the average v = βv + (1 − β)∇J, which is dampening = momentum here.",
        "种子文章 001 写成 v = γv + η∇J、θ ← θ − v：即 Keras 的形式（η 在速度里），学习率不变时路径相同；003 写成平均 v = βv + (1 − β)∇J，相当于这里的 dampening = momentum。";
    SeedNadam = "Keras's μₜ uses 0.96ᵗ; PyTorch's 0.96^(tψ), with ψ = 0.004, warms up 250 times more slowly.",
        "Keras 的 μₜ 用 0.96ᵗ；PyTorch 用 0.96^(tψ)，ψ = 0.004 时预热慢 250 倍。";
    FConvPytorch = "PyTorch convention",
        "PyTorch 约定";
    FConvKeras = "Keras 3 convention",
        "Keras 3 约定";
    FConvTeaching = "teaching only, not in PyTorch",
        "仅用于教学，PyTorch 中没有";
    FStep = "step",
        "步数";
    FBeforeFirst = "before step 1: the rule it will use",
        "第 1 步之前：将要使用的规则";
    FEffLr = "effective learning rate",
        "有效学习率";
}

/// The phrases [`phrases`] replaces, longest and most specific first.
const PHRASES: &[Msg] = &[
    Msg::PNotPd,
    Msg::PNoHessian,
    Msg::PNoData,
    Msg::PUnknownKey,
    Msg::PMoreKeys,
    Msg::PUnknownPanel,
    Msg::PUnknownSurface,
    Msg::PUnknownOptimizer,
    Msg::PUnknownSchedule,
    Msg::PUnknownHyper,
    Msg::PUnknownName,
    Msg::PUnknown,
    Msg::PDefaultSurface,
    Msg::PDefaultOptimizers,
    Msg::PDefault,
    Msg::PIgnored,
    Msg::PIgnoredEnd,
    Msg::PNotValid,
    Msg::POutOfRange,
    Msg::PToggle,
    Msg::PNotWhole,
    Msg::PWholeFrom,
    Msg::PWholeAtLeast,
    Msg::PNumberAtLeast,
    Msg::PFinite,
    Msg::PExpected,
    Msg::PFound,
    Msg::PLabel,
    Msg::PLine,
    Msg::PMoreThan,
    Msg::PAtMost,
    Msg::PCsvTakes,
    Msg::PLeftView,
    Msg::PLossBecame,
    Msg::PNoisyGrad,
    Msg::PBatchGrad,
    Msg::PGradBecame,
    Msg::PBecame,
    Msg::PRotated,
    Msg::POver,
    Msg::PMeanOver,
    Msg::PLegendre,
    Msg::PHeldOut,
    Msg::PDidNotRun,
    Msg::PDivergedAt,
    Msg::PCard,
    Msg::PSemiValid,
    Msg::PValid,
    Msg::PAndMore,
    Msg::PMore,
    Msg::POr,
    Msg::PTo,
];

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    text(lang as usize, msg as usize)
}

/// Message number `m` in language number `l`.
fn text(l: usize, m: usize) -> &'static str {
    let (a, b) = (STARTS[l][m] as usize, STARTS[l][m + 1] as usize - 1);
    PACKED[l].get(a..b).unwrap_or_default()
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

/// Engine catalogue text (an optimizer, surface or schedule name, a parameter's label or help,
/// a rule) in `lang`: the row whose English it is, or the text itself (names that stay as
/// they are, formulas).
pub fn cat_in(lang: Lang, english: &'static str) -> &'static str {
    match lang {
        Lang::En => english,
        _ => (0..COUNT)
            .find(|&m| text(0, m) == english)
            .map_or(english, |m| text(lang as usize, m)),
    }
}

/// An engine message (a URL notice, a CSV error, a divergence reason) in `lang`: the engine
/// words it in English for the CLI; the known phrases are replaced, names and numbers stay.
pub fn phrases_in(lang: Lang, message: &str) -> String {
    let mut out = message.to_string();
    if lang != Lang::En {
        for &p in PHRASES {
            out = replace(&out, tr(Lang::En, p), tr(lang, p));
        }
    }
    out
}

/// `text` with every `from` replaced by `to`: a plain scan with `starts_with`, not
/// `str::replace`, whose substring searcher would add kilobytes to the page.
fn replace(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if rest.starts_with(from) {
            out.push_str(to);
            rest = &rest[from.len()..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
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

/// [`cat_in`] in the page's language.
pub fn cat(english: &'static str) -> &'static str {
    cat_in(lang(), english)
}

/// [`phrases_in`] in the page's language.
pub fn phrases(message: &str) -> String {
    phrases_in(lang(), message)
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
        // The packed table's first and last rows.
        assert_eq!(
            tr(Lang::En, Msg::PageTitle),
            "gradscape — see how optimizers move"
        );
        assert_eq!(tr(Lang::Zh, Msg::PTo), " 到 ");
    }

    /// Whether `text` has an English word a Chinese reader would need translated: three or
    /// more ASCII letters that are not a function or a symbol of the formulas.
    fn has_words(text: &str) -> bool {
        const SYMBOLS: &[&str] = &["max", "sign", "cos", "sin", "exp", "sqrt", "min"];
        text.split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() >= 3 && !SYMBOLS.contains(&w))
    }

    /// Every catalogue string the page shows, and whether it must have a row (names of
    /// optimizers and of the benchmark surfaces stay as they are).
    fn catalogue() -> Vec<(&'static str, bool)> {
        use crate::engine::{optim, schedule, surface, task};
        let mut out = Vec::new();
        let schema = |s: crate::engine::param::Schema, out: &mut Vec<_>| {
            for p in s {
                out.push((p.label, has_words(p.label)));
                out.push((p.help, true));
            }
        };
        for k in optim::CATALOG {
            out.push((k.name, false));
            out.push((k.pytorch, k.pytorch.contains(" (")));
            schema(k.schema, &mut out);
        }
        for k in surface::CATALOG {
            out.push((k.name, k.name.contains(' ')));
            schema(k.schema, &mut out);
        }
        for k in schedule::CATALOG {
            out.push((k.name, true));
            schema(k.schema, &mut out);
        }
        schema(&[schedule::WARMUP], &mut out);
        for k in task::CATALOG {
            schema(k.schema, &mut out);
        }
        out
    }

    #[test]
    fn every_catalogue_string_the_page_shows_has_chinese_and_no_row_is_stale() {
        let all = catalogue();
        for (text, needs) in &all {
            if *needs {
                assert_ne!(
                    cat_in(Lang::Zh, text),
                    *text,
                    "no Chinese for the catalogue's '{text}'"
                );
            }
        }
        // Rows named C… / H… are catalogue words (labels and help): each must still be one,
        // except the page's own run settings (src/ui), which are not in an engine catalogue.
        const PAGE_PARAMS: &[&str] = &[
            "CSteps", "CNoise", "CSeed", "CBatch", "HSteps", "HNoise", "HSeed", "HBatch",
        ];
        for &m in Msg::ALL {
            let name = format!("{m:?}");
            let catalogue_row = name.len() > 1
                && (name.starts_with('C') || name.starts_with('H'))
                && name[1..2].chars().all(|c| c.is_ascii_uppercase());
            if catalogue_row && !PAGE_PARAMS.contains(&name.as_str()) {
                let en = tr(Lang::En, m);
                assert!(
                    all.iter().any(|(t, _)| *t == en),
                    "{name}: '{en}' is in no catalogue"
                );
            }
        }
    }

    #[test]
    fn common_url_and_csv_messages_read_in_chinese() {
        use crate::engine::task::data::{parse_csv, Columns};
        use crate::engine::url::decode;
        let mut messages = decode(
            "",
            "lang=fr&steps=abc&foo=1&surface=nope&opt=sgd(lr=-1)&hide=nothing&t=-1&view=1,2",
        )
        .notices;
        messages.push(parse_csv("1,2\n3", Columns::Xy).unwrap_err());
        messages.push(parse_csv("", Columns::Xy).unwrap_err());
        messages.push(parse_csv("1,2,5", Columns::Labeled).unwrap_err());
        assert!(messages.len() >= 9, "{messages:?}");
        for m in &messages {
            let zh = phrases_in(Lang::Zh, m);
            // What may stay: a key or id alone, quoted values, lists of valid ids.
            let left: Vec<&str> = zh
                .split(['：', ':', '；', ';'])
                .filter(|part| !part.contains('\'') && !part.contains(','))
                .filter(|part| has_words(part) && part.trim().contains(' '))
                .collect();
            assert!(left.is_empty(), "'{m}' → '{zh}': {left:?}");
        }
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
