// An entry file that throws while loading: start-up must abort.
throw new Error('entry file exploded');
