// A quiz night's worth of questions, for the HTTP tests and the bench.
export const fridayQuiz = {
  title: 'Friday at the Crown',
  date: '2026-11-27',
  rounds: [
    {
      title: 'General knowledge',
      questions: [
        { type: 'number', text: 'In which year did the Berlin Wall fall?', answer: 1989, points: 2 },
        {
          type: 'choice',
          text: 'Which is the largest planet?',
          choices: ['Mars', 'Jupiter', 'Venus'],
          answer: 'Jupiter',
        },
        { type: 'text', text: 'Who wrote Dracula?', answer: 'Bram Stoker' },
      ],
    },
    {
      title: 'Nature',
      questions: [
        { type: 'number', text: 'How many legs has a spider?', answer: 8 },
        { type: 'number', text: 'How tall is a giraffe, in metres?', answer: 5.5, tolerance: 0.5 },
      ],
    },
  ],
};
