// The stage boundaries of src/, shared by eslint.config.js and test/architecture/boundaries.test.ts.
/**
 * The pipeline (docs/architecture.md): each folder of src/ imports src/model and the stages before
 * it, never one after it. A backward import is a lint error.
 */
const STAGES = [
  "address",
  "desired",
  "directory",
  "plan",
  "hygiene",
  "render",
  "apply",
  "audit",
  "import",
  "github",
  "cli",
];

/** The planner and the renderers are pure: plain data in, plain data out. */
const PURE_STAGES = ["plan", "hygiene", "render"];
const PURITY = [
  {
    group: ["node:*", "fs", "path", "child_process", "net", "tls", "http", "https"],
    message: "The planner and renderers are pure: no I/O.",
  },
  {
    group: ["**/directory/ad/*", "**/directory/entra/*", "ldapts", "@microsoft/*", "@azure/*", "simple-git"],
    message: "The planner and renderers take plain data, never clients.",
  },
];

function laterStages(stage) {
  return STAGES.slice(STAGES.indexOf(stage) + 1).map((later) => ({
    group: [`**/${later}/*`, `**/${later}/**/*`],
    message: `${stage} comes before ${later} in the pipeline (docs/architecture.md): import model and earlier stages only.`,
  }));
}

export function stageBoundaries() {
  return [
    {
      files: ["src/model/**/*.ts"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: ["../*", "../**/*"],
                message: "src/model holds the shared types and imports nothing else of the project.",
              },
            ],
          },
        ],
      },
    },
    ...STAGES.map((stage) => ({
      files: [`src/${stage}/**/*.ts`],
      rules: {
        "no-restricted-imports": [
          "error",
          { patterns: [...laterStages(stage), ...(PURE_STAGES.includes(stage) ? PURITY : [])] },
        ],
      },
    })),
  ];
}
