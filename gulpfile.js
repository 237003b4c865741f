const { src, dest } = require('gulp');

/** Copies the node and credential icons (and the codex JSON) next to the compiled code in dist/. */
function buildAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = buildAssets;
